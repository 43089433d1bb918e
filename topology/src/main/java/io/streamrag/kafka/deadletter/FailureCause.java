package io.streamrag.kafka.deadletter;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;

import io.streamrag.serde.RegistryAuthorizationException;
import io.streamrag.serde.RegistryUnavailableException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Decides whether a failure is the record's fault (dead-letter it, go on) or the environment's (stop the role, so
 * nothing is lost). Dead-lettering an outage would empty the input into the dead-letter topic.
 */
public final class FailureCause {

    private FailureCause() {
    }

    /**
     * True when {@code error} or any of its causes says a dependency is down or refuses us, or that the record is to
     * be tried again before it is quarantined ({@link RecordRetryException}): either way not dead-lettered now.
     */
    public static boolean isInfrastructure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InfrastructureFailure
                    || t instanceof RecordRetryException
                    || t instanceof RegistryUnavailableException
                    || t instanceof RegistryAuthorizationException
                    || t instanceof RetriableException
                    || t instanceof AuthenticationException
                    || t instanceof AuthorizationException
                    || t instanceof ConnectException
                    || t instanceof NoRouteToHostException
                    || t instanceof UnknownHostException
                    || t instanceof HttpConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
