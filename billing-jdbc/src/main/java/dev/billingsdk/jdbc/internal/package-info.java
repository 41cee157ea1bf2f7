/** Internal helpers of the JDBC adapter; not an API, and they may change in any release. */
package dev.billingsdk.jdbc.internal;
