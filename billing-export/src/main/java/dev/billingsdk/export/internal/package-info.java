/**
 * Not exported: the shared value formatting, the CSV cell rule, HTML escaping and the SVG charts
 * behind {@code dev.billingsdk.export}.
 */
@NullMarked
package dev.billingsdk.export.internal;

import org.jspecify.annotations.NullMarked;
