package io.streamrag.inference.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationConfigFilesTest {

    @Test
    void generationConfigJsonWins(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"num_beams\": 6, \"max_position_embeddings\": 1024,"
                + " \"decoder_start_token_id\": 2, \"eos_token_id\": 2, \"pad_token_id\": 1}");
        Files.writeString(dir.resolve("generation_config.json"), "{\"num_beams\": 4, \"max_length\": 142,"
                + " \"min_length\": 56, \"no_repeat_ngram_size\": 3, \"length_penalty\": 2.0,"
                + " \"early_stopping\": true, \"forced_bos_token_id\": 0, \"forced_eos_token_id\": 2}");
        GenerationSettings s = GenerationConfigFiles.read(dir);
        assertThat(s.numBeams()).isEqualTo(4);
        assertThat(s.maxLength()).isEqualTo(142);
        assertThat(s.minLength()).isEqualTo(56);
        assertThat(s.noRepeatNgramSize()).isEqualTo(3);
        assertThat(s.lengthPenalty()).isEqualTo(2.0);
        assertThat(s.earlyStopping()).isEqualTo(GenerationSettings.EarlyStopping.TRUE);
        assertThat(s.forcedBosTokenId()).isZero();
        assertThat(s.forcedEosTokenId()).isEqualTo(2);
        // special ids fall back to config.json
        assertThat(s.decoderStartTokenId()).isEqualTo(2);
        assertThat(s.padTokenId()).isEqualTo(1);
    }

    @Test
    void legacyConfigJsonKeysApplyWithoutAGenerationConfig(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"num_beams\": 6, \"early_stopping\": \"never\","
                + " \"max_position_embeddings\": 16, \"decoder_start_token_id\": 2, \"eos_token_id\": [2]}");
        GenerationSettings s = GenerationConfigFiles.read(dir);
        assertThat(s.numBeams()).isEqualTo(6);
        assertThat(s.earlyStopping()).isEqualTo(GenerationSettings.EarlyStopping.NEVER);
        assertThat(s.eosTokenId()).isEqualTo(2);
        // HF's 20 new tokens + the start token, capped by the position table
        assertThat(s.maxLength()).isEqualTo(16);
        assertThat(s.forcedBosTokenId()).isNull();
        assertThat(s.lengthPenalty()).isEqualTo(1.0);
    }

    @Test
    void withNoLengthAnywhereHuggingFaceGeneratesTwentyNewTokens(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"max_position_embeddings\": 1024}");
        assertThat(GenerationConfigFiles.read(dir).effectiveMaxLength()).isEqualTo(21);
    }
}
