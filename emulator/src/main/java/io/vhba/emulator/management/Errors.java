package io.vhba.emulator.management;

import io.vhba.emulator.config.ConfigException;
import io.vhba.emulator.fault.FaultSpecException;
import io.vhba.emulator.runtime.Reconfiguration;
import java.io.UncheckedIOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the API answers for an exception a handler threw: a table from the exception to a status, every answer one
 * line of JSON. Bad input is 400; the emulator's refusals are 404, 409 or 503; anything else is 500 and is logged
 * with its stack (the process goes on).
 */
final class Errors {
    private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

    private static final Map<Reconfiguration.Reason, Integer> RECONFIGURATION = Map.of(
            Reconfiguration.Reason.NOT_FOUND, 404,
            Reconfiguration.Reason.CONFLICT, 409,
            Reconfiguration.Reason.UNAVAILABLE, 503);

    private Errors() {}

    static ApiResponse toResponse(String request, Throwable t) {
        if (t instanceof ApiException e) {
            return ApiResponse.error(e.status(), e.getMessage());
        }
        if (t instanceof Reconfiguration e) {
            return ApiResponse.error(RECONFIGURATION.get(e.reason()), e.getMessage());
        }
        if (t instanceof ConfigException || t instanceof FaultSpecException || t instanceof IllegalArgumentException) {
            return ApiResponse.error(400, t.getMessage());
        }
        if (t instanceof UncheckedIOException e) {
            LOG.warn("{}: {}", request, e.getMessage());
            return ApiResponse.error(500, e.getMessage());
        }
        LOG.error("{} failed", request, t);
        return ApiResponse.error(500, "internal error: " + t);
    }
}
