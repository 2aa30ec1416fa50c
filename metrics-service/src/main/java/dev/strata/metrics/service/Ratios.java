package dev.strata.metrics.service;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Averages and ratios: two decimals, half up, and 0 where there is nothing to divide by. */
final class Ratios {

    static final int SCALE = 2;

    private Ratios() {}

    static BigDecimal ratio(BigDecimal dividend, BigDecimal divisor) {
        if (divisor.signum() == 0) {
            return BigDecimal.ZERO.setScale(SCALE);
        }
        return dividend.divide(divisor, SCALE, RoundingMode.HALF_UP);
    }

    static BigDecimal ratio(long dividend, long divisor) {
        return ratio(BigDecimal.valueOf(dividend), BigDecimal.valueOf(divisor));
    }

    static BigDecimal ratio(BigDecimal dividend, long divisor) {
        return ratio(dividend, BigDecimal.valueOf(divisor));
    }
}
