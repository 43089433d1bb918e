package io.streamrag.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrag.app.config.AppConfig;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The ingest rig tests what production runs: its settings differ from the defaults only where it says so. */
class IngestRigDefaultsTest {

    @Test
    void theRigOverridesOnlyWhatItDeclares() throws ReflectiveOperationException {
        try (IngestRig rig = new IngestRig()) {
            assertThat(differences(AppConfig.defaults().ingest(), rig.settings)).isEqualTo(IngestRig.OVERRIDES);
            assertThat(rig.settings.batching()).isEqualTo(AppConfig.defaults().ingest().batching());
        }
    }

    @Test
    void aBatchingATestPassesIsTheOnlyOtherDifference() throws ReflectiveOperationException {
        var batching = AppConfig.defaults().ingest().batching().withSize(3, Duration.ofMillis(7));
        try (IngestRig rig = new IngestRig(batching, AppConfig.defaults().ingest().chunking(), 2_000)) {
            Set<String> expected = new TreeSet<>(IngestRig.OVERRIDES);
            expected.add("batching");
            expected.remove("chunking");
            assertThat(differences(AppConfig.defaults().ingest(), rig.settings)).isEqualTo(expected);
        }
    }

    /** Names of the record components whose values differ. */
    private static Set<String> differences(IngestSettings expected, IngestSettings actual)
            throws ReflectiveOperationException {
        Set<String> names = new TreeSet<>();
        for (RecordComponent component : IngestSettings.class.getRecordComponents()) {
            if (!Objects.equals(component.getAccessor().invoke(expected), component.getAccessor().invoke(actual))) {
                names.add(component.getName());
            }
        }
        return names;
    }
}
