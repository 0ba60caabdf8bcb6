package io.wagateway.templates.dto;

import java.util.List;

/** The outcome of a template sync: accounts read, templates stored, accounts whose read failed. */
public record SyncResponse(int accounts, int templates, List<String> failedAccounts, boolean skipped) {
}
