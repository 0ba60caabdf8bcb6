package io.wagateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class StorableTextTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void nulBecomesTheReplacementCharacterAndOtherTextIsTheSameInstance() {
        String plain = "no nul here";
        assertThat(StorableText.text(plain)).isSameAs(plain);
        assertThat(StorableText.text(null)).isNull();
        assertThat(StorableText.text("a" + StorableText.NUL + "b" + StorableText.NUL)).isEqualTo("a\uFFFDb\uFFFD");
    }

    @Test
    void theTreeLosesEveryNulInValuesAndFieldNames() throws Exception {
        JsonNode tree = mapper.readTree("""
                {"text":{"body":"a\\u0000b"},"k\\u0000":[1,"x\\u0000",{"deep":"\\u0000"}],"same":"s"}""");
        String json = mapper.writeValueAsString(tree);
        assertThat(StorableText.mayHoldNul(json)).isTrue();
        JsonNode storable = StorableText.tree(tree);
        assertThat(mapper.writeValueAsString(storable)).doesNotContain("\\u0000").isEqualTo("""
                {"text":{"body":"a\uFFFDb"},"k\uFFFD":[1,"x\uFFFD",{"deep":"\uFFFD"}],"same":"s"}""");
        assertThat(storable.get("same")).isSameAs(tree.get("same"));
    }

    @Test
    void anEscapedBackslashBeforeU0000IsNotANul() throws Exception {
        JsonNode tree = mapper.readTree("""
                {"body":"a\\\\u0000b"}""");
        assertThat(tree.get("body").textValue()).isEqualTo("a\\u0000b");
        // The cheap test on the text cannot tell; the walk can, and changes nothing.
        assertThat(StorableText.mayHoldNul(mapper.writeValueAsString(tree))).isTrue();
        assertThat(StorableText.tree(tree)).isSameAs(tree);
        assertThat(StorableText.mayHoldNul("{\"body\":\"plain\"}")).isFalse();
    }
}
