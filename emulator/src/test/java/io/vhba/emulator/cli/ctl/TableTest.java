package io.vhba.emulator.cli.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableTest {
    @Test
    void columnsAreAsWideAsTheirWidestCellTwoSpacesApartWithoutTrailingBlanks() {
        Table t = new Table("ID", "SPEC", "FIRED")
                .row(1, "medium-error,lun=0,lba=2048-2055", 12)
                .row(10, "busy", null);
        assertThat(t.toString()).isEqualTo(
                "ID  SPEC                              FIRED\n"
                + "1   medium-error,lun=0,lba=2048-2055  12\n"
                + "10  busy                              -\n");
    }

    @Test
    void anEmptyTableIsItsHeaderAndARowMustFillEveryColumn() {
        assertThat(new Table("A", "B").toString()).isEqualTo("A  B\n");
        assertThatThrownBy(() -> new Table("A", "B").row(1)).isInstanceOf(IllegalArgumentException.class);
    }
}
