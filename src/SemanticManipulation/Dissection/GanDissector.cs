using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SemanticManipulation.Diagnostics;
using SemanticManipulation.Editing;
using SemanticManipulation.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Dissection;

/// <summary>
/// GAN Dissection (Bau et al., ICLR 2019) of a generator's split layer against a segmenter: which units draw which
/// concepts. Two streaming passes over seeded random samples, in memory independent of the sample count:
/// <list type="number">
/// <item>G_H only: per-unit activation quantiles in a fixed-size histogram sketch (<see cref="DissectionOptions.HistogramBins"/>),
/// giving each unit's q99 level and its candidate thresholds.</item>
/// <item>G_H, G_F and the segmenter: for every unit, candidate threshold and concept, pixel counts of the thresholded,
/// upsampled unit map, the concept mask and their overlap.</item>
/// </list>
/// Each unit–concept pair gets the threshold maximising the information quality ratio, and its IoU there ranks the units
/// for the concept; with <see cref="DissectionOptions.CausalRanking"/>, a third pass re-ranks the best of them by their
/// causal effect (<see cref="CausalUnitRanker"/>), and, for the remove operator, by the effect of switching them off where
/// the concept is. The result is a <see cref="ConceptCatalog"/> ready for the add/remove
/// operators.
/// </summary>
public sealed class GanDissector
{
    /// <summary>The removal ranking draws this many times <see cref="CausalRankingOptions.Samples"/> scenes and keeps, per
    /// concept, those that show it most: rare concepts (doors, domes) are in few random scenes.</summary>
    private const int RemovalPoolFactor = 4;

    private readonly ILogger _logger;

    /// <summary>Creates the dissector.</summary>
    /// <param name="logger">Receives the start, per-batch progress (debug) and outcome.</param>
    public GanDissector(ILogger<GanDissector>? logger = null) => _logger = logger ?? (ILogger)NullLogger.Instance;

    /// <summary>Dissects <paramref name="generator"/>'s split layer against <paramref name="segmenter"/>'s labels.</summary>
    /// <param name="generator">The generator; not changed.</param>
    /// <param name="segmenter">Finds the concepts in generated images.</param>
    /// <param name="options">Sample counts, seed, thresholds; null for the defaults.</param>
    /// <param name="progress">Receives a report after every batch.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    /// <returns>The catalog and the statistics behind it.</returns>
    /// <exception cref="ArgumentException">The segmenter has no labels or returns masks of the wrong shape.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="OperationCanceledException">The dissection was cancelled.</exception>
    public DissectionResult Dissect(
        ILayerSplitGenerator generator,
        ISegmenter segmenter,
        DissectionOptions? options = null,
        IProgress<DissectionProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(segmenter);
        TorchRuntime.EnsureInitialized();
        options = (options ?? new DissectionOptions()).Clone();
        options.Validate();
        var labels = segmenter.Labels.ToArray();
        if (labels.Length == 0)
        {
            throw new ArgumentException("The segmenter has no labels to dissect against.", nameof(segmenter));
        }

        var shape = generator.RepresentationShape;
        var analysis = options.AnalysisResolution ?? Math.Min(generator.Resolution, 64);
        var clock = Stopwatch.StartNew();
        Log.DissectionStarted(_logger, generator.SplitLayer, shape.Channels, labels.Length, options.QuantileSamples,
            options.SegmentationSamples, analysis, options.Seed);
        using var noGrad = no_grad();

        var sketch = SketchQuantiles(generator, options, progress, clock, cancellationToken);
        var levels = Enumerable.Range(0, shape.Channels).Select(u => (float)sketch.Quantile(u, options.LevelQuantile)).ToArray();
        var thresholds = CandidateThresholds(sketch, options.ThresholdCandidates);
        var counter = CountOverlaps(generator, segmenter, labels.Length, thresholds, analysis, options, progress, clock, cancellationToken);

        var result = Score(generator, segmenter, labels, levels, thresholds, counter, options, progress, clock, cancellationToken);
        Log.DissectionFinished(_logger, clock.Elapsed.TotalSeconds, result.Catalog.Concepts.Count, result.Catalog.SquashUnits.Count);
        return result;
    }

    /// <summary>Pass 1: every unit's activations over random samples, into the histogram sketch.</summary>
    private UnitQuantileSketch SketchQuantiles(
        ILayerSplitGenerator generator, DissectionOptions options, IProgress<DissectionProgress>? progress, Stopwatch clock,
        CancellationToken cancellationToken)
    {
        var shape = generator.RepresentationShape;
        var sketch = new UnitQuantileSketch(shape.Channels, options.HistogramBins);
        using var random = new TorchSharp.torch.Generator(0, CPU).manual_seed(options.Seed);
        for (var done = 0; done < options.QuantileSamples;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = Math.Min(options.BatchSize, options.QuantileSamples - done);
            using (var scope = NewDisposeScope())
            {
                var r = generator.Early(randn(batch, generator.LatentSize, generator: random));
                // Unit-major so that each unit's values are contiguous for the sketch.
                var values = r.to(ScalarType.Float32).permute(1, 0, 2, 3).contiguous().cpu().data<float>().ToArray();
                sketch.Add(values, batch * shape.Height * shape.Width);
            }

            done += batch;
            Report(progress, DissectionStage.Quantiles, done, options.QuantileSamples, clock);
        }

        return sketch;
    }

    /// <summary>Per unit, its quantiles 1 − f for f log-spaced from 0.001 to 1, ascending: <c>[C, K]</c>.</summary>
    private static float[,] CandidateThresholds(UnitQuantileSketch sketch, int count)
    {
        var thresholds = new float[sketch.Units, count];
        for (var k = 0; k < count; k++)
        {
            var fraction = Math.Pow(10, -3 + (3.0 * k / (count - 1)));
            var quantile = Math.Clamp(1 - fraction, 0, 1);
            for (var unit = 0; unit < sketch.Units; unit++)
            {
                // f grows with k, so the quantile falls: fill from the top to keep each row ascending.
                thresholds[unit, count - 1 - k] = (float)sketch.Quantile(unit, quantile);
            }
        }

        return thresholds;
    }

    /// <summary>Pass 2: render, segment and count unit–concept overlaps at every candidate threshold.</summary>
    private ConceptOverlapCounter CountOverlaps(
        ILayerSplitGenerator generator, ISegmenter segmenter, int labelCount, float[,] thresholds, int analysis,
        DissectionOptions options, IProgress<DissectionProgress>? progress, Stopwatch clock, CancellationToken cancellationToken)
    {
        var shape = generator.RepresentationShape;
        var resolution = generator.Resolution;
        var flat = new float[thresholds.Length];
        Buffer.BlockCopy(thresholds, 0, flat, 0, thresholds.Length * sizeof(float));
        using var thresholdTensor = tensor(flat, [shape.Channels, thresholds.GetLength(1)], ScalarType.Float32, generator.Device);
        var counter = new ConceptOverlapCounter(thresholdTensor, labelCount);
        // A stream of its own, so that overlaps are measured on other samples than the thresholds were chosen on.
        using var random = new TorchSharp.torch.Generator(0, CPU).manual_seed(unchecked(options.Seed + 1));
        var pixels = (long)analysis * analysis;
        for (var done = 0; done < options.SegmentationSamples;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = Math.Min(options.BatchSize, options.SegmentationSamples - done);
            using (var scope = NewDisposeScope())
            {
                var r = generator.Early(randn(batch, generator.LatentSize, generator: random)).to(ScalarType.Float32);
                var masks = segmenter.Segment(generator.Late(r));
                if (!masks.shape.SequenceEqual([batch, labelCount, resolution, resolution]))
                {
                    throw new ArgumentException(
                        $"The segmenter must return masks of shape [{batch}, {labelCount}, {resolution}, {resolution}]; it returned " +
                        $"[{string.Join(", ", masks.shape)}].", nameof(segmenter));
                }

                var concepts = masks.to(ScalarType.Float32).to(generator.Device);
                if (analysis != resolution)
                {
                    concepts = nn.functional.interpolate(concepts, [analysis, analysis], mode: InterpolationMode.Area);
                }

                var present = concepts >= 0.5f;
                var units = analysis == shape.Height && analysis == shape.Width
                    ? r
                    : nn.functional.interpolate(r, [analysis, analysis], mode: InterpolationMode.Bilinear, align_corners: false);
                for (var i = 0; i < batch; i++)
                {
                    counter.Add(units[i].reshape(shape.Channels, pixels), present[i].reshape(labelCount, pixels));
                }
            }

            done += batch;
            Report(progress, DissectionStage.Overlap, done, options.SegmentationSamples, clock);
        }

        return counter;
    }

    private DissectionResult Score(
        ILayerSplitGenerator generator, ISegmenter segmenter, string[] labels, float[] levels, float[,] thresholds,
        ConceptOverlapCounter counter, DissectionOptions options, IProgress<DissectionProgress>? progress, Stopwatch clock,
        CancellationToken cancellationToken)
    {
        var units = levels.Length;
        var candidates = thresholds.GetLength(1);
        var iou = new float[labels.Length, units];
        var iqr = new float[labels.Length, units];
        var chosen = new float[labels.Length, units];
        var row = new float[candidates];
        for (var unit = 0; unit < units; unit++)
        {
            for (var k = 0; k < candidates; k++)
            {
                row[k] = thresholds[unit, k];
            }

            var above = counter.Above(unit);
            for (var label = 0; label < labels.Length; label++)
            {
                var (index, ratio, overlap) = ThresholdSelection.Select(
                    row, above, counter.AboveWithin(label, unit), counter.ConceptPixels[label], counter.TotalPixels);
                iou[label, unit] = (float)overlap;
                iqr[label, unit] = (float)ratio;
                chosen[label, unit] = index >= 0 ? row[index] : float.NaN;
            }
        }

        var fractions = counter.ConceptPixels.Select(p => p / (double)counter.TotalPixels).ToArray();
        bool Measurable(int label) => fractions[label] >= options.MinimumConceptFraction && counter.ConceptPixels[label] > 0;
        var causal = options.CausalRanking;
        // Ranked by IoU, the catalog keeps UnitsPerConcept units; ranked by effect, that many candidates are tried.
        var shortlist = causal?.Candidates ?? options.UnitsPerConcept;
        using var ranker = causal is null ? null : CausalUnitRanker.ForAdding(generator, segmenter, causal, unchecked(options.Seed + 2));
        using var removalScenes = causal is { RankForRemoval: true }
            ? new ConceptScenePool(generator, segmenter, RemovalPoolFactor * causal.Samples, options.BatchSize, unchecked(options.Seed + 3))
            : null;
        var measurable = Enumerable.Range(0, labels.Length).Count(Measurable);
        var ranked = 0;
        var rankings = new List<ConceptRanking>();
        var removalRankings = new List<ConceptRanking>();
        for (var label = 0; label < labels.Length; label++)
        {
            if (!Measurable(label))
            {
                Log.ConceptTooRare(_logger, labels[label], fractions[label], options.MinimumConceptFraction);
                continue;
            }

            var byIoU = Enumerable.Range(0, units)
                .Where(u => iou[label, u] > 0)
                .OrderByDescending(u => iou[label, u])
                .ThenByDescending(u => iqr[label, u])
                .ThenBy(u => u)
                .Take(shortlist)
                .ToArray();
            if (ranker is null)
            {
                rankings.Add(new ConceptRanking(labels[label], "iou", byIoU.Select(u => new RankedUnit(u, iou[label, u]))));
                continue;
            }

            rankings.Add(new ConceptRanking(labels[label], "ace", ranker.Rank(label, byIoU, levels, options.UnitsPerConcept, cancellationToken)));
            if (removalScenes?.Showing(label, causal!.Samples) is ({ } showing, { } cells))
            {
                using var remover = CausalUnitRanker.ForRemoving(generator, segmenter, showing, cells);
                removalRankings.Add(new ConceptRanking(labels[label], "ablation",
                    remover.Rank(label, byIoU, levels, options.UnitsPerConcept, cancellationToken)));
            }

            Report(progress, DissectionStage.Intervention, ++ranked, measurable, clock);
        }

        var squash = (options.SquashUnits ?? [])
            .Concat(options.SquashLevelRatio is { } ratioLimit ? SquashUnitDetector.ByLevel(levels, ratioLimit) : [])
            .Distinct()
            .Order()
            .ToArray();
        var source = string.Create(CultureInfo.InvariantCulture,
            $"GAN dissection of {generator.SplitLayer}: {options.QuantileSamples} samples for levels, {options.SegmentationSamples} for IoU, seed {options.Seed}");
        var catalog = new ConceptCatalog(generator.SplitLayer, levels, rankings, squash, options.LevelQuantile, options.Intensities, source,
            removalRankings);
        return new DissectionResult(catalog, labels, fractions, iou, iqr, chosen, clock.Elapsed);
    }

    private void Report(IProgress<DissectionProgress>? progress, DissectionStage stage, int done, int total, Stopwatch clock)
    {
        Log.DissectionStep(_logger, stage, done, total);
        progress?.Report(new DissectionProgress(stage, done, total, clock.Elapsed));
    }
}
