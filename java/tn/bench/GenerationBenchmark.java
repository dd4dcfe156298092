package tn.bench;

import tn.analysis.NeuronSet;
import tn.generate.BatchedGenerator;
import tn.generate.Generation;
import tn.generate.Request;
import tn.generate.StopRule;
import tn.llama.BareGreedy;
import tn.llama.Deactivation;
import tn.llama.Model;
import tn.llama.Positions;
import tn.qa.PromptTemplate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Batched greedy generation's throughput (generated tokens per second) against llama.cpp's own
 * batched decoding of the same prompts to the same lengths (BareGreedy: no tn callback, the same
 * context layout, threads and P), for P = 1, 8 and 32, with nothing switched off and with 1000
 * neurons off at the prompts. Both decode each prompt alone and then step all sequences
 * together; both times leave out the context's creation.
 */
final class GenerationBenchmark {
    static final int[] PARALLEL = {1, 8, 32};
    static final int NEW_TOKENS = 64, CONTEXT = 512, NEURONS = 1000;

    private GenerationBenchmark() {}

    static void run(Path modelPath, Path questions, Path ranking, int threads) throws IOException {
        try (Model model = Model.open(modelPath, -1)) {
            PromptTemplate template = PromptTemplate.parse(PromptTemplate.DEFAULT);
            List<int[]> all = new ArrayList<>();
            for (String line : Files.readAllLines(questions)) {
                all.add(model.tokenize(template.apply(
                        com.google.gson.JsonParser.parseString(line).getAsJsonObject().get("question").getAsString())));
            }
            Deactivation off = NeuronSet.Choice.top(ranking, NEURONS)
                                       .resolve(model.info().nLayer(), model.info().nFf())
                                       .deactivation(Positions.ALL_TOKENS);
            System.out.printf("%n%-4s %8s %12s %12s %8s %14s %9s %10s%n", "P", "tokens", "bare tok/s", "tn tok/s",
                    "tn/bare", "tn off tok/s", "off cost", "same text");
            for (int round = 0; round < 2; round++) {
                for (int p : PARALLEL) {
                    List<int[]> prompts = new ArrayList<>();
                    for (int k = 0; k < p; k++) prompts.add(all.get(k % all.size()));
                    Timed plain = generate(model, prompts, p, Deactivation.none(), threads);
                    Timed deactivated = generate(model, prompts, p, off, threads);
                    int[] lengths = plain.generations.stream()
                                            .mapToInt(g -> g.tokens().length)
                                            .map(n -> Math.max(n, 1))
                                            .toArray();
                    BareGreedy.Result bare = BareGreedy.run(model, prompts, lengths, CONTEXT, threads, true);
                    int tokens = Arrays.stream(lengths).sum(), same = 0;
                    for (int s = 0; s < p; s++)
                        same += Arrays.equals(bare.tokens().get(s), plain.generations.get(s).tokens()) ? 1 : 0;
                    double bareRate = tokens / bare.seconds(), ours = tokens / plain.seconds;
                    double offRate = deactivated.tokens() / deactivated.seconds;
                    System.out.printf("%-4d %8d %12.1f %12.1f %7.2fx %14.1f %8.1f%% %6d/%d%s%n", p, tokens, bareRate,
                            ours, ours / bareRate, offRate,
                            100 * (deactivated.seconds / deactivated.tokens() / (plain.seconds / tokens) - 1), same, p,
                            round == 0 ? "  (warm-up round)" : "");
                }
            }
        }
    }

    private record Timed(List<Generation> generations, double seconds) {
        int tokens() {
            return generations.stream().mapToInt(g -> g.tokens().length).sum();
        }
    }

    private static Timed generate(Model model, List<int[]> prompts, int parallel, Deactivation off, int threads) {
        List<Request> requests = new ArrayList<>();
        for (int[] p : prompts) requests.add(new Request(p, NEW_TOKENS, StopRule.NONE, off));
        try (BatchedGenerator g = new BatchedGenerator(model, parallel, CONTEXT, threads, true)) {
            long t0 = System.nanoTime();
            List<Generation> out = g.generateAll(requests);
            return new Timed(out, (System.nanoTime() - t0) / 1e9);
        }
    }
}
