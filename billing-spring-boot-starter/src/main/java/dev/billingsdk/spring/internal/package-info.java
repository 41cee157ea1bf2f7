/** The starter's implementation: not an API, subject to change without notice. */
@NullMarked
package dev.billingsdk.spring.internal;

import org.jspecify.annotations.NullMarked;
