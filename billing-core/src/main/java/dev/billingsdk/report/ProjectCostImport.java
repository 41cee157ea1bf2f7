package dev.billingsdk.report;

import dev.billingsdk.InvalidRequestException;
import java.util.List;

/**
 * What an import did: the rows it stored and the rows it acknowledged as duplicates (stored before
 * with the same content, or repeated within the batch), each list in the batch's order.
 */
public record ProjectCostImport(List<String> imported, List<String> duplicates) {

  public ProjectCostImport {
    imported = List.copyOf(InvalidRequestException.requireNonNull(imported, "imported"));
    duplicates = List.copyOf(InvalidRequestException.requireNonNull(duplicates, "duplicates"));
  }
}
