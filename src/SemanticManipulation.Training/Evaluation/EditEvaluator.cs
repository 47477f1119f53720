using SemanticManipulation.Diagnostics;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SemanticManipulation.Editing;
using SemanticManipulation.Imaging;
using SemanticManipulation.Metrics;
using SemanticManipulation.Pipeline;
using SemanticManipulation.Runtime;
using SemanticManipulation.Segmentation;
using SemanticManipulation.Training.Data;
using SemanticManipulation.Training.World;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using static TorchSharp.torch;
using SemanticManipulation.Training.Imaging;

namespace SemanticManipulation.Training.Evaluation;

/// <summary>
/// Shows that edits work: on held-out world images, each rendered at the generator's resolution,
/// it runs the real pipeline — invert, add a concept on the ground in a square and in a tree's silhouette inside that
/// square (and, where the image has one, remove a dome or tree inside its grown ground-truth region), adapt G', render —
/// and measures the segmenter's share of the concept inside the mask before and after, and the PSNR of the unedited
/// pixels. Every edit starts from the same inversion. Masks come from the ground-truth label
/// maps only, so they do not depend on the model being judged. All tensor work runs on the calling thread.
/// </summary>
public sealed partial class EditEvaluator(ILogger<EditEvaluator>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<EditEvaluator>.Instance;

    /// <summary>Runs the evaluation.</summary>
    /// <param name="editor">The pipeline (e.g. <c>ModelBundle.CreateEditor()</c>), with a concept catalog and a segmenter
    /// whose labels name the concepts (the judge, whose shares the edits' own metrics report).</param>
    /// <param name="world">The world the model was trained on; its held-out seeds give the photos.</param>
    /// <param name="options">Images, concepts, criteria and pipeline options; null for the defaults.</param>
    /// <param name="progress">Receives the pipeline's progress and every finished edit, on the calling thread.</param>
    /// <param name="cancellationToken">Cancels the running inversion or adaptation; nothing is returned or written.</param>
    /// <exception cref="ArgumentException">The editor has no catalog or no segmenter, or the concept to add is unknown to the catalog,
    /// the segmenter or the world; or the generator's resolution is one the world cannot render.</exception>
    public EditEvaluationReport Evaluate(SemanticEditor editor, SceneWorld world, EditEvaluationOptions? options = null,
        IProgress<EditEvaluationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(editor);
        ArgumentNullException.ThrowIfNull(world);
        options ??= new EditEvaluationOptions();
        var (segmenter, resolution, grid, add, removable, skipped, hosts) = Plan(editor, options);
        TorchRuntime.EnsureInitialized();
        foreach (var name in skipped)
        {
            LogRemoveConceptSkipped(_logger, name);
        }

        var removeCandidates = removable.Select(c => (long)c.WorldLabel).ToArray();
        var dilation = options.RemoveDilationAt(resolution);

        var clock = Stopwatch.StartNew();
        var removableNames = string.Join(", ", removable.Select(c => c.Name));
        LogEditsStarting(_logger, options.Images, resolution, add.Name, removableNames);
        var rows = new List<EditEvaluationRow>();
        var pictures = new List<IReadOnlyList<Image<Rgb24>>>();
        try
        {
            for (var image = 0; image < options.Images; image++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var seed = WorldSeeds.HeldOut(options.FirstHeldOutIndex + image);
                using var photo = world.RenderBatch(seed, 1, resolution);
                var truth = photo.Labels.data<long>().ToArray();
                var (square, _) = EditRegionPlanner.AddSquare(truth, resolution, grid, add.WorldLabel, hosts, options.AddRegionCells,
                    options.AddMaxExistingShare);
                var removal = EditRegionPlanner.RemoveRegion(truth, resolution, removeCandidates, options.RemoveMinimumShare, dilation);

                var index = image;
                var steps = progress is null ? null : new SynchronousProgress<SemanticEditProgress>(p => progress.Report(new EditEvaluationProgress(index, options.Images, p, null)));
                using var edit = editor.Open(photo.Images, options.Edit, steps, cancellationToken);
                var row = image < options.PictureImages && options.PictureDirectory is not null ? new List<Image<Rgb24>>() : null;
                if (row is not null)
                {
                    pictures.Add(row);
                    row.Add(ImageTensor.ToImage(edit.Photo.Tensor));
                }

                var context = new EditContext(image, seed, edit, options, steps, row, cancellationToken);
                foreach (var shape in options.AddMaskShapes)
                {
                    var addMask = shape == EditMaskShape.Tree
                        ? EditRegionPlanner.TreeMask(square, resolution, seed)
                        : EditRegionPlanner.SquareMask(square, resolution);
                    edit.Session.Reset();
                    rows.Add(RunEdit(context, AddConceptOperator.OperatorName, add, shape, addMask, TruthShare(truth, addMask, add.WorldLabel)));
                    progress?.Report(new EditEvaluationProgress(image, options.Images, null, rows[^1]));
                }

                if (removal is var (label, removeMask, _))
                {
                    edit.Session.Reset();
                    var concept = removable.First(c => c.WorldLabel == label);
                    rows.Add(RunEdit(context, RemoveConceptOperator.OperatorName, concept, EditMaskShape.ObjectRegion, removeMask,
                        TruthShare(truth, removeMask, label)));
                    progress?.Report(new EditEvaluationProgress(image, options.Images, null, rows[^1]));
                }
                else
                {
                    LogNothingToRemove(_logger, image, seed, options.RemoveMinimumShare);
                }
            }

            if (options.PictureDirectory is string directory)
            {
                Directory.CreateDirectory(directory);
                var path = Path.Combine(directory, "edits.png");
                ContactSheet.SaveRows(pictures, path, ContactSheet.ReadableTileSide);
                LogPictureWritten(_logger, path);
            }
        }
        finally
        {
            foreach (var picture in pictures.SelectMany(p => p))
            {
                picture.Dispose();
            }
        }

        var report = EditEvaluationReport.Summarize(rows, options.Images, resolution, options, clock.Elapsed.TotalSeconds);
        LogEditsFinished(_logger, report.AddSuccessRate, report.RemoveSuccessRate ?? double.NaN, report.RemoveHalvedRate ?? double.NaN,
            report.RemoveEdits, report.MeanUneditedPsnrDb, report.MinUneditedPsnrDb);
        return report;
    }

    /// <summary>
    /// Checks, without inverting or rendering anything, everything <see cref="Evaluate"/> checks before its first image:
    /// the options, the editor's catalog and segmenter, that the world renders photos for its generator, and that the
    /// concept to add is known everywhere. A caller with other long work first (a quality evaluation) calls it then.
    /// </summary>
    /// <param name="editor">The pipeline <see cref="Evaluate"/> will run.</param>
    /// <param name="options">The options it will run with; null for the defaults.</param>
    /// <exception cref="ArgumentException">As <see cref="Evaluate"/> would refuse them.</exception>
    public static void Check(SemanticEditor editor, EditEvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(editor);
        Plan(editor, options ?? new EditEvaluationOptions());
    }

    private static EvaluationPlan Plan(SemanticEditor editor, EditEvaluationOptions options)
    {
        var segmenter = editor.Segmenter ?? throw new ArgumentException("The editor has no segmenter to judge the edits with.", nameof(editor));
        options.Validate();
        var catalog = editor.Catalog ?? throw new ArgumentException("The editor has no concept catalog; add and remove need one.", nameof(editor));
        var resolution = editor.Generator.Resolution;
        var grid = editor.Generator.RepresentationShape.Height;
        if (resolution is < SceneWorld.MinSize or > SceneWorld.MaxSize || resolution % grid != 0)
        {
            throw new ArgumentException($"The world cannot render photos for a {resolution}² generator with a {grid}×{grid} split layer.", nameof(editor));
        }

        if (options.AddRegionCells >= grid)
        {
            throw new ArgumentException($"An added square of {options.AddRegionCells} cells would cover the whole {grid}×{grid} grid.", nameof(options));
        }

        var add = ResolveConcept(options.AddConcept, catalog, segmenter)
            ?? throw new ArgumentException(
                $"Cannot add '{options.AddConcept}': the catalog, the segmenter and the world must all know it " +
                $"(catalog: {string.Join(", ", catalog.Concepts)}; segmenter: {string.Join(", ", segmenter.Labels)}).", nameof(options));
        var removable = new List<ResolvedConcept>();
        var skipped = new List<string>();
        foreach (var name in options.RemoveConcepts)
        {
            if (ResolveConcept(name, catalog, segmenter) is { } concept)
            {
                removable.Add(concept);
            }
            else
            {
                skipped.Add(name);
            }
        }

        var hosts = options.AddHostLabels.Select(name => (long)(WorldLabel(name)
            ?? throw new ArgumentException($"'{name}' is not a world label ({string.Join(", ", SceneLabels.Names)}).", nameof(options)))).ToHashSet();
        return new EvaluationPlan(segmenter, resolution, grid, add, removable, skipped, hosts);
    }

    private EditEvaluationRow RunEdit(EditContext context, string operation, ResolvedConcept concept, EditMaskShape shape, float[] maskValues,
        double truthShare)
    {
        var edit = context.Edit;
        var resolution = edit.Photo.Resolution;
        using var scope = NewDisposeScope();
        var mask = tensor(maskValues, [1, 1, resolution, resolution]).to(edit.Photo.Device);
        ConceptEdit request = operation == AddConceptOperator.OperatorName
            ? new AddConcept(concept.Name, mask) { UnitCount = context.Options.UnitCount }
            : new RemoveConcept(concept.Name, mask) { UnitCount = context.Options.UnitCount };
        edit.Apply(request, context.Progress, context.CancellationToken);
        using var result = edit.Render(context.Progress, context.CancellationToken);
        var share = result.Metrics.ConceptShares.Single(c => c.Concept == concept.Name);
        var (before, after) = (share.Before, share.After);
        var outside = 1 - mask;
        double? outsidePsnr = outside.sum().item<float>() > 0 ? ImageMetrics.Psnr(result.Image, edit.Photo.Tensor, outside) : null;
        if (context.Pictures is { } pictures)
        {
            pictures.Add(ContactSheet.MaskOverlay(edit.Photo.Tensor, mask));
            pictures.Add(ImageTensor.ToImage(result.Image));
        }

        var succeeded = operation == AddConceptOperator.OperatorName ? after >= context.Options.AddShareThreshold : after < before;
        var row = new EditEvaluationRow
        {
            Image = context.Image,
            Seed = context.Seed,
            Operation = operation,
            Concept = concept.Name,
            MaskShape = shape,
            MaskFraction = maskValues.Count(v => v > 0) / (double)maskValues.Length,
            TruthShareInMask = truthShare,
            ShareBefore = before,
            ShareAfter = after,
            Succeeded = succeeded,
            UneditedPsnrDb = result.Metrics.UneditedPsnrDb,
            OutsideMaskPsnrDb = outsidePsnr,
            InversionPsnrDb = edit.Inversion?.PsnrDb,
            AdaptationSeconds = result.Adapted.Metrics.Seconds,
        };
        var maskDescription = MaskDescription(shape);
        LogEditMeasured(_logger, context.Image, context.Seed, operation, concept.Name, maskDescription, before, after, result.Metrics.UneditedPsnrDb);
        return row;
    }

    /// <summary>The ground-truth share of <paramref name="label"/> inside a 0/1 mask.</summary>
    private static double TruthShare(long[] truth, float[] mask, long label)
    {
        var (inside, matching) = (0, 0);
        for (var i = 0; i < truth.Length; i++)
        {
            if (mask[i] > 0)
            {
                inside++;
                matching += truth[i] == label ? 1 : 0;
            }
        }

        return inside == 0 ? 0 : matching / (double)inside;
    }

    /// <summary>The concept under the catalog's name with its segmenter and world label, or null when one of the three
    /// does not know it.</summary>
    private static ResolvedConcept? ResolveConcept(string name, IConceptCatalog catalog, ISegmenter segmenter)
    {
        if (!catalog.TryGetRanking(name, out var ranking))
        {
            return null;
        }

        var segmenterLabel = segmenter.Labels.ToList().FindIndex(l => string.Equals(l, name, StringComparison.OrdinalIgnoreCase));
        return segmenterLabel >= 0 && WorldLabel(name) is int world ? new ResolvedConcept(ranking.Concept, segmenterLabel, world) : null;
    }

    private static int? WorldLabel(string name)
    {
        for (var i = 0; i < SceneLabels.Count; i++)
        {
            if (string.Equals(SceneLabels.Names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return null;
    }

    /// <summary>How the log names a mask shape.</summary>
    private static string MaskDescription(EditMaskShape shape) => shape switch
    {
        EditMaskShape.Square => "square mask",
        EditMaskShape.Tree => "tree-shaped mask",
        EditMaskShape.ObjectRegion => "the object's region",
        _ => shape.ToString(),
    };

    [LoggerMessage(EventId = 310, Level = LogLevel.Information,
        Message = "Edit evaluation: {Images} held-out images at {Resolution}², adding {Add}, removing the first of [{Remove}] each image has")]
    private static partial void LogEditsStarting(ILogger logger, int images, int resolution, string add, string remove);

    [LoggerMessage(EventId = 311, Level = LogLevel.Information,
        Message = "Image {Image} (seed {Seed}): {Operation} {Concept} ({Mask}): share in mask {Before:P1} -> {After:P1}, unedited PSNR {Psnr:F2} dB")]
    private static partial void LogEditMeasured(ILogger logger, int image, long seed, string operation, string concept, string mask,
        double before, double after, double psnr);

    [LoggerMessage(EventId = 312, Level = LogLevel.Debug, Message = "Image {Image} (seed {Seed}): no removable concept covers {MinimumShare:P1} of it; no remove edit")]
    private static partial void LogNothingToRemove(ILogger logger, int image, long seed, double minimumShare);

    [LoggerMessage(EventId = 313, Level = LogLevel.Warning, Message = "Not removing '{Concept}': the catalog, the segmenter or the world does not know it")]
    private static partial void LogRemoveConceptSkipped(ILogger logger, string concept);

    [LoggerMessage(EventId = 314, Level = LogLevel.Information,
        Message = "Edit evaluation: add succeeded on {AddRate:P0}; remove lowered the share on {RemoveRate:P0} and halved it on {HalvedRate:P0} of {Removes}; unedited PSNR mean {Mean:F2} dB, min {Min:F2} dB")]
    private static partial void LogEditsFinished(ILogger logger, double addRate, double removeRate, double halvedRate, int removes, double mean, double min);

    [LoggerMessage(EventId = 315, Level = LogLevel.Information, Message = "Wrote {Path}")]
    private static partial void LogPictureWritten(ILogger logger, string path);

    /// <summary>A concept under the catalog's name, with its index among the segmenter's labels and its world label.</summary>
    private sealed record ResolvedConcept(string Name, int SegmenterLabel, int WorldLabel);

    /// <summary>What <see cref="Plan"/> resolved: the judge, the sizes, the concepts and the labels an add may cover.</summary>
    private sealed record EvaluationPlan(ISegmenter Segmenter, int Resolution, int Grid, ResolvedConcept Add,
        IReadOnlyList<ResolvedConcept> Removable, IReadOnlyList<string> Skipped, HashSet<long> Hosts);

    /// <summary>What every edit of one image shares.</summary>
    private sealed record EditContext(int Image, long Seed, PhotoEdit Edit, EditEvaluationOptions Options,
        IProgress<SemanticEditProgress>? Progress, List<Image<Rgb24>>? Pictures, CancellationToken CancellationToken);
}
