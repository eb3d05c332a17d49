package dev.nano.server;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A response's status for the status line: Netty's, with the IANA registry's reason phrase for the
 * codes Netty does not name or names after an obsolete draft (deno and workerd send these; Netty
 * would send e.g. "418 Client Error (418)" and "425 Unordered Collection").
 */
final class Statuses {
    private static final HttpResponseStatus ALREADY_REPORTED = new HttpResponseStatus(208, "Already Reported");
    private static final HttpResponseStatus IM_USED = new HttpResponseStatus(226, "IM Used");
    private static final HttpResponseStatus IM_A_TEAPOT = new HttpResponseStatus(418, "I'm a teapot");
    private static final HttpResponseStatus TOO_EARLY = new HttpResponseStatus(425, "Too Early");
    private static final HttpResponseStatus LEGAL_REASONS = new HttpResponseStatus(451, "Unavailable For Legal Reasons");
    private static final HttpResponseStatus LOOP_DETECTED = new HttpResponseStatus(508, "Loop Detected");

    private Statuses() {}

    static HttpResponseStatus of(int code) {
        return switch (code) {
            case 208 -> ALREADY_REPORTED;
            case 226 -> IM_USED;
            case 418 -> IM_A_TEAPOT;
            case 425 -> TOO_EARLY;
            case 451 -> LEGAL_REASONS;
            case 508 -> LOOP_DETECTED;
            default -> HttpResponseStatus.valueOf(code);
        };
    }
}
