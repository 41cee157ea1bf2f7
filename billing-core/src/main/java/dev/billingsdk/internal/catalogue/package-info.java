/**
 * The catalogue service: versions made from drafts, checked against the latest stored version and
 * added through the {@link dev.billingsdk.spi.CatalogueStore}.
 */
@NullMarked
package dev.billingsdk.internal.catalogue;

import org.jspecify.annotations.NullMarked;
