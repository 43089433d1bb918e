package io.streamrag.store.qdrant;

import io.grpc.Status;
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.FieldCondition;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.Match;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Common.Range;
import io.qdrant.client.grpc.JsonWithInt.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Qdrant's filter semantics, evaluated against one point, for the double: {@code must} (all), {@code should} (at
 * least one, when present), {@code must_not} (none), {@code min_should}; field conditions on dotted paths into
 * nested objects, where an array matches when any element does; match keyword / integer / boolean / any-of /
 * except, numeric ranges, is_empty (missing, null or []), is_null, has_id, nested filters and nested conditions
 * on arrays of objects. Conditions the double does not model (geo, full text, datetime, values count, has_vector)
 * are refused with UNIMPLEMENTED rather than guessed.
 */
final class PayloadFilter {

    private PayloadFilter() {
    }

    static boolean matches(Filter filter, PointId id, Map<String, Value> payload) {
        for (Condition condition : filter.getMustList()) {
            if (!matches(condition, id, payload)) {
                return false;
            }
        }
        for (Condition condition : filter.getMustNotList()) {
            if (matches(condition, id, payload)) {
                return false;
            }
        }
        if (filter.getShouldCount() > 0) {
            boolean any = false;
            for (Condition condition : filter.getShouldList()) {
                if (matches(condition, id, payload)) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return false;
            }
        }
        if (filter.hasMinShould()) {
            long matching = filter.getMinShould().getConditionsList().stream()
                    .filter(condition -> matches(condition, id, payload))
                    .count();
            return matching >= filter.getMinShould().getMinCount();
        }
        return true;
    }

    private static boolean matches(Condition condition, PointId id, Map<String, Value> payload) {
        switch (condition.getConditionOneOfCase()) {
            case FIELD:
                return matches(condition.getField(), payload);
            case IS_EMPTY:
                return isEmpty(values(payload, condition.getIsEmpty().getKey()));
            case IS_NULL:
                return isNull(payload, condition.getIsNull().getKey());
            case HAS_ID:
                return condition.getHasId().getHasIdList().stream()
                        .map(PointIds::canonical)
                        .anyMatch(candidate -> PointIds.ORDER.compare(candidate, id) == 0);
            case FILTER:
                return matches(condition.getFilter(), id, payload);
            case NESTED:
                // Each object of the array must satisfy the whole inner filter on its own.
                return values(payload, condition.getNested().getKey()).stream()
                        .filter(Value::hasStructValue)
                        .anyMatch(element -> matches(condition.getNested().getFilter(), id,
                                element.getStructValue().getFieldsMap()));
            default:
                throw unsupported("condition " + condition.getConditionOneOfCase());
        }
    }

    private static boolean matches(FieldCondition field, Map<String, Value> payload) {
        List<Value> values = values(payload, field.getKey());
        if (field.hasMatch()) {
            return matches(field.getMatch(), values);
        }
        if (field.hasRange()) {
            return values.stream().anyMatch(value -> inRange(field.getRange(), value));
        }
        if (field.hasIsEmpty()) {
            return isEmpty(values) == field.getIsEmpty();
        }
        if (field.hasIsNull()) {
            return isNull(payload, field.getKey()) == field.getIsNull();
        }
        throw unsupported("field condition on " + field.getKey() + " (only match, range, is_empty, is_null)");
    }

    private static boolean matches(Match match, List<Value> values) {
        switch (match.getMatchValueCase()) {
            case KEYWORD:
                return values.stream().anyMatch(v -> v.hasStringValue()
                        && v.getStringValue().equals(match.getKeyword()));
            case INTEGER:
                return values.stream().anyMatch(v -> v.hasIntegerValue()
                        && v.getIntegerValue() == match.getInteger());
            case BOOLEAN:
                return values.stream().anyMatch(v -> v.hasBoolValue() && v.getBoolValue() == match.getBoolean());
            case KEYWORDS:
                return values.stream().anyMatch(v -> v.hasStringValue()
                        && match.getKeywords().getStringsList().contains(v.getStringValue()));
            case INTEGERS:
                return values.stream().anyMatch(v -> v.hasIntegerValue()
                        && match.getIntegers().getIntegersList().contains(v.getIntegerValue()));
            case EXCEPT_KEYWORDS:
                return values.stream().noneMatch(v -> v.hasStringValue()
                        && match.getExceptKeywords().getStringsList().contains(v.getStringValue()));
            case EXCEPT_INTEGERS:
                return values.stream().noneMatch(v -> v.hasIntegerValue()
                        && match.getExceptIntegers().getIntegersList().contains(v.getIntegerValue()));
            default:
                throw unsupported("match " + match.getMatchValueCase());
        }
    }

    private static boolean inRange(Range range, Value value) {
        double number;
        if (value.hasIntegerValue()) {
            number = value.getIntegerValue();
        } else if (value.hasDoubleValue()) {
            number = value.getDoubleValue();
        } else {
            return false;
        }
        return (!range.hasLt() || number < range.getLt())
                && (!range.hasGt() || number > range.getGt())
                && (!range.hasLte() || number <= range.getLte())
                && (!range.hasGte() || number >= range.getGte());
    }

    /** Missing, null, or an empty array. */
    private static boolean isEmpty(List<Value> values) {
        return values.stream().allMatch(Value::hasNullValue);
    }

    private static boolean isNull(Map<String, Value> payload, String key) {
        List<Value> values = rawValues(payload, key);
        return !values.isEmpty() && values.stream().anyMatch(Value::hasNullValue);
    }

    /** The values at a dotted path, arrays flattened, as Qdrant indexes them. */
    static List<Value> values(Map<String, Value> payload, String key) {
        List<Value> flat = new ArrayList<>();
        for (Value value : rawValues(payload, key)) {
            flatten(value, flat);
        }
        return flat;
    }

    private static List<Value> rawValues(Map<String, Value> payload, String key) {
        String[] steps = key.split("\\.");
        List<Value> current = new ArrayList<>();
        Value first = payload.get(stripArray(steps[0]));
        if (first != null) {
            current.add(first);
        }
        for (int i = 1; i < steps.length; i++) {
            String step = stripArray(steps[i]);
            List<Value> next = new ArrayList<>();
            for (Value value : current) {
                List<Value> objects = new ArrayList<>();
                flatten(value, objects);
                for (Value object : objects) {
                    if (object.hasStructValue() && object.getStructValue().containsFields(step)) {
                        next.add(object.getStructValue().getFieldsOrThrow(step));
                    }
                }
            }
            current = next;
        }
        return current;
    }

    private static void flatten(Value value, List<Value> into) {
        if (value.hasListValue()) {
            for (Value element : value.getListValue().getValuesList()) {
                flatten(element, into);
            }
        } else {
            into.add(value);
        }
    }

    private static String stripArray(String step) {
        return step.endsWith("[]") ? step.substring(0, step.length() - 2) : step;
    }

    private static RuntimeException unsupported(String what) {
        return Status.UNIMPLEMENTED.withDescription("Qdrant double does not model " + what).asRuntimeException();
    }
}
