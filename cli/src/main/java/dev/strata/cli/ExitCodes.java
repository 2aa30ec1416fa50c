package dev.strata.cli;

/**
 * What {@code strata} exits with. Scripts switch on these, so they are part of the CLI's contract (cli/README.md):
 * a job that ran but left failures (1) is told apart from a request the service refused (3) and from a service
 * that could not be reached at all (4).
 */
public final class ExitCodes {

    /** Done, and for a job or run: it succeeded with no failed item. */
    public static final int OK = 0;
    /** The import job or archive run ended with failed items, or failed as a whole. */
    public static final int JOB_FAILED = 1;
    /** Wrong options or arguments, or a FILE that cannot be read (picocli's own code for usage errors). */
    public static final int USAGE = 2;
    /** A service answered with an error (its problem+json is printed). */
    public static final int SERVICE_ERROR = 3;
    /** A service could not be reached, did not answer in time, or answered something that is not Strata's. */
    public static final int UNREACHABLE = 4;
    /** No token: neither {@code STRATA_TOKEN}/{@code --token} nor the local run's private key to mint one. */
    public static final int NO_CREDENTIALS = 5;
    /** A bug in the CLI itself. */
    public static final int INTERNAL = 70;

    private ExitCodes() {}
}
