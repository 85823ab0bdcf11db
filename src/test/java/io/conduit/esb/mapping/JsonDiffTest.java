package io.conduit.esb.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonDiffTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonDiff.Result diff(String expected, String actual) throws Exception {
        return JsonDiff.between(JSON.readTree(expected), JSON.readTree(actual));
    }

    @Test
    void equalDocumentsHaveNoDifferenceWhateverTheKeyOrderAndNumberSpelling() throws Exception {
        assertThat(diff("{\"a\": 10, \"b\": [1.50, {\"c\": null}]}", "{\"b\": [1.5, {\"c\": null}], \"a\": 10.0}").same())
                .isTrue();
    }

    @Test
    void keysAreEscapedAsJsonPointersAndTypesCompared() throws Exception {
        JsonDiff.Result result = diff("{\"a/b\": 1, \"m~n\": \"1\", \"x\": {\"y\": 1}}",
                "{\"a/b\": 2, \"m~n\": 1, \"x\": [1]}");
        assertThat(result.differences()).extracting(JsonDiff.Difference::path).containsExactly("/a~1b", "/m~0n", "/x");
        assertThat(result.differences()).extracting(JsonDiff.Difference::kind).containsOnly(JsonDiff.Kind.CHANGED);
    }

    @Test
    void aDifferentRootIsOneDifferenceAtTheEmptyPath() throws Exception {
        JsonDiff.Result result = diff("\"a\"", "null");
        assertThat(result.differences()).singleElement().satisfies(d -> {
            assertThat(d.path()).isEmpty();
            assertThat(d.actual().isNull()).isTrue();
        });
    }

    @Test
    void manyDifferencesAreCutAtTheLimitAndSaySo() throws Exception {
        StringBuilder expected = new StringBuilder("[");
        StringBuilder actual = new StringBuilder("[");
        for (int i = 0; i < JsonDiff.LIMIT + 20; i++) {
            expected.append(i == 0 ? "" : ",").append(i);
            actual.append(i == 0 ? "" : ",").append(-i - 1);
        }
        JsonNode e = JSON.readTree(expected.append(']').toString());
        JsonNode a = JSON.readTree(actual.append(']').toString());
        JsonDiff.Result result = JsonDiff.between(e, a);
        assertThat(result.differences()).hasSize(JsonDiff.LIMIT);
        assertThat(result.truncated()).isTrue();
        assertThat(JsonDiff.between(e, e).truncated()).isFalse();
    }
}
