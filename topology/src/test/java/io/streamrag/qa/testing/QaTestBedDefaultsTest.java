package io.streamrag.qa.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrag.app.config.AppConfig;
import io.streamrag.qa.QaSettings;
import java.lang.reflect.RecordComponent;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The QA test bed tests what production runs: its settings differ from the defaults only where it says so. */
class QaTestBedDefaultsTest {

    @Test
    void theTestBedOverridesOnlyWhatItDeclares() throws ReflectiveOperationException {
        assertThat(differences(AppConfig.defaults().qa(), QaTestBed.settings())).isEqualTo(QaTestBed.OVERRIDES);
    }

    @Test
    void aChangeTheBedDoesNotDeclareIsCaught() throws ReflectiveOperationException {
        QaSettings drifted = QaTestBed.settings().withRetrieval(5, 50, 0.0);

        assertThat(differences(AppConfig.defaults().qa(), drifted)).contains("defaultTopK", "maxTopK");
    }

    /** Names of the record components whose values differ. */
    static Set<String> differences(QaSettings expected, QaSettings actual) throws ReflectiveOperationException {
        Set<String> names = new TreeSet<>();
        for (RecordComponent component : QaSettings.class.getRecordComponents()) {
            Object a = component.getAccessor().invoke(expected);
            Object b = component.getAccessor().invoke(actual);
            if (!Objects.equals(a, b)) {
                names.add(component.getName());
            }
        }
        return names;
    }
}
