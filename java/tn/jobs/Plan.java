package tn.jobs;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Steps in an order that runs each after the steps it needs: what a study or a sweep is, for
 * whichever executor runs it.
 */
public record Plan(List<Step> steps) {
    public Plan {
        steps = List.copyOf(steps);
        Set<String> seen = new HashSet<>();
        for (Step s : steps) {
            for (String a : s.after()) {
                if (!seen.contains(a)) {
                    throw new IllegalArgumentException(
                            "step " + s.name() + " needs " + a + ", which does not come before it");
                }
            }
            if (!seen.add(s.name())) throw new IllegalArgumentException("two steps are named " + s.name());
        }
    }

    public Step step(String name) {
        for (Step s : steps)
            if (s.name().equals(name)) return s;
        throw new IllegalArgumentException("no step named " + name);
    }
}
