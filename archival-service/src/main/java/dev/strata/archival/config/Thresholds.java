package dev.strata.archival.config;

import java.util.UUID;

/** The age threshold that applies to a group: its override, or the default. */
public final class Thresholds {

    private Thresholds() {
    }

    public static int days(ArchivalConfig config, UUID groupId) {
        Integer override = config.groupAgeThresholdDays().get(groupId.toString());
        return override == null ? config.ageThresholdDays() : override;
    }
}
