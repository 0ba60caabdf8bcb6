package io.wagateway.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class IdCursorTest {

    @Test
    void aPositionCursorNamesTheEntryItWasMadeFor() {
        String cursor = IdCursor.encodePosition("attempt:", 41, 7);
        assertThat(IdCursor.decodePosition("attempt:", cursor)).isEqualTo(new IdCursor.Position(41, 7));
        assertThat(IdCursor.decodePosition("attempt:", null)).isNull();
        assertThat(IdCursor.decodePosition("attempt:", " ")).isNull();
    }

    @Test
    void aCursorOfAnIdAloneNamesPositionZeroOfThatId() {
        // cursors given out before the list had positions go on where they were: below the id
        String old = IdCursor.encode("attempt:", 41);
        assertThat(IdCursor.decodePosition("attempt:", old)).isEqualTo(new IdCursor.Position(41, 0));
    }

    @Test
    void aCursorOfAnotherListOrAMangledOneIsRefused() {
        assertThatThrownBy(() -> IdCursor.decodePosition("attempt:", IdCursor.encodePosition("session:", 1, 1)))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> IdCursor.decodePosition("attempt:", "%%%"))
                .isInstanceOf(InvalidInputException.class);
        String negative = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("attempt:4.-1".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> IdCursor.decodePosition("attempt:", negative))
                .isInstanceOf(InvalidInputException.class);
        String noId = Base64.getUrlEncoder().withoutPadding().encodeToString("attempt:.1".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> IdCursor.decodePosition("attempt:", noId)).isInstanceOf(InvalidInputException.class);
    }
}
