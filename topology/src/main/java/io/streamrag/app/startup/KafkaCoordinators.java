package io.streamrag.app.startup;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a fresh broker create its group and transaction coordinators now. A new KRaft broker creates
 * {@code __consumer_offsets} and {@code __transaction_state} only when the first client looks for a coordinator: on
 * a first start that was the roles' first join and first exactly-once transaction, seconds after the models had
 * loaded. Asking for the roles' groups and transactional ids while the models still load takes that off the path to
 * ready. Only an optimisation: a failure is logged, never fatal (the roles would create them as before).
 */
public final class KafkaCoordinators {

    private static final Logger log = LoggerFactory.getLogger(KafkaCoordinators.class);

    private KafkaCoordinators() {
    }

    /**
     * Looks up the coordinators of {@code ids} as consumer groups and as transactional ids, waiting at most
     * {@code timeout} for each; "no such group" and "no such transactional id" are the expected answers.
     */
    public static void warmUp(Admin admin, Collection<String> ids, Duration timeout) {
        if (ids.isEmpty()) {
            return;
        }
        await("group coordinator", admin.describeConsumerGroups(ids).all(), timeout);
        await("transaction coordinator", admin.describeTransactions(ids).all(), timeout);
    }

    private static void await(String what, KafkaFuture<?> lookup, Duration timeout) {
        try {
            lookup.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof GroupIdNotFoundException)
                    && !(e.getCause() instanceof TransactionalIdNotFoundException)) {
                log.debug("Early lookup of the {} failed; the roles will retry it: {}", what, e.getCause().toString());
            }
        } catch (TimeoutException e) {
            log.debug("Early lookup of the {} took over {}; the roles will retry it", what, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
