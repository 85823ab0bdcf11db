package io.conduit.esb.intake;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class InputGateTest {

    private final InputGate gate = new InputGate(new IntakeProperties());

    private ProblemException refused(String body, String contentType) {
        return catchThrowableOfType(ProblemException.class,
                () -> gate.inspect(body.getBytes(StandardCharsets.UTF_8), contentType));
    }

    @Test
    void validJsonWithFreeTextPasses() {
        assertThatCode(() -> gate.inspect("{\"a\":\"line one\\nline two\\tend\",\"b\":[1,2.5,{\"c\":\"M\u00fcller \uD83D\uDE00\"}]}"
                .getBytes(StandardCharsets.UTF_8), "application/json; charset=utf-8")).doesNotThrowAnyException();
        assertThatCode(() -> gate.inspect(new byte[0], null)).doesNotThrowAnyException();
        assertThatCode(() -> gate.inspect(new byte[0], "application/json")).doesNotThrowAnyException();
    }

    @Test
    void controlCharactersAreRefusedNamingTheField() {
        ProblemException nul = refused("{\"data\":{\"lines\":[{\"sku\":\"P\\u0000\"}]}}", "application/json");
        assertThat(nul.status()).isEqualTo(400);
        assertThat(nul.violations().get(0).field()).isEqualTo("$.data.lines[0].sku");
        assertThat(nul.getMessage()).contains("U+0000");
        assertThat(refused("{\"k\\u001b\":1}", "application/json").violations().get(0).keyword()).isEqualTo("control-character");
        assertThat(refused("{\"a\":\"\\ud800\"}", "application/json").status()).isEqualTo(400);
        assertThat(refused("{\"a\":\"\u0085\"}", "application/json").status()).isEqualTo(400);
    }

    @Test
    void structureAndEncodingAreChecked() {
        assertThat(refused("{\"a\":1,\"a\":2}", "application/json").violations().get(0).keyword()).isEqualTo("duplicate-key");
        assertThat(refused("[".repeat(33) + "]".repeat(33), "application/json").status()).isEqualTo(400);
        assertThat(refused("{\"n\":" + "9".repeat(41) + "}", "application/json").status()).isEqualTo(400);
        assertThat(refused("{\"n\":NaN}", "application/json").status()).isEqualTo(400);
        assertThat(refused("{} []", "application/json").status()).isEqualTo(400);
        ProblemException latin1 = catchThrowableOfType(ProblemException.class, () -> gate.inspect(
                "{\"a\":\"M\u00fcller\"}".getBytes(StandardCharsets.ISO_8859_1), "application/json"));
        assertThat(latin1.status()).isEqualTo(400);
        assertThat(latin1.getMessage()).contains("byte offset 7");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/x-www-form-urlencoded", "text/plain", "application/xml", "", "application/json; charset=latin1"})
    void otherMediaTypesGet415(String contentType) {
        assertThat(refused("{}", contentType).status()).isEqualTo(415);
    }

    @Test
    void refusalsNeverEchoTheBody() {
        ProblemException e = refused("{\"a\": secretvalue}", "application/json");
        assertThat(e.getMessage()).doesNotContain("secretvalue").contains("line 1");
    }
}
