package dev.windrose.storage.ui;

import com.vaadin.flow.component.customfield.CustomField;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.data.value.ValueChangeMode;

/** A size as a whole number of MiB, GiB or TiB: whatever is typed is aligned to the volume unit. */
class SizeField extends CustomField<Long> {

    private static final long MIB = 1024L * 1024;

    private final IntegerField amount = new IntegerField();
    private final Select<String> unit = new Select<>();

    SizeField(String label, int initial, String initialUnit) {
        setLabel(label);
        amount.setMin(1);
        amount.setValue(initial);
        amount.setValueChangeMode(ValueChangeMode.EAGER);
        amount.setAriaLabel(label);
        amount.setWidth("8rem");
        unit.setItems("MiB", "GiB", "TiB");
        unit.setValue(initialUnit);
        unit.setAriaLabel(label + " unit");
        unit.setWidth("6rem");
        HorizontalLayout row = new HorizontalLayout(amount, unit);
        row.setSpacing(true);
        add(row);
        amount.addValueChangeListener(change -> updateValue());
        unit.addValueChangeListener(change -> updateValue());
        // The shown size is the value from the start, not only after the first edit.
        updateValue();
    }

    @Override
    protected Long generateModelValue() {
        Integer value = amount.getValue();
        if (value == null || value < 1) {
            return 0L;
        }
        long multiplier = switch (unit.getValue()) {
            case "TiB" -> 1024 * 1024 * MIB;
            case "GiB" -> 1024 * MIB;
            default -> MIB;
        };
        return value * multiplier;
    }

    @Override
    protected void setPresentationValue(Long bytes) {
        long value = bytes == null ? 0 : bytes;
        if (value > 0 && value % (1024 * MIB) == 0) {
            amount.setValue((int) (value / (1024 * MIB)));
            unit.setValue("GiB");
        } else {
            amount.setValue((int) (value / MIB));
            unit.setValue("MiB");
        }
    }
}
