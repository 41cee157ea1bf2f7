/** Internal helpers of the JDBC adapter; not an API, and they may change in any release. */
@NullMarked
package dev.billingsdk.jdbc.internal;

import org.jspecify.annotations.NullMarked;
