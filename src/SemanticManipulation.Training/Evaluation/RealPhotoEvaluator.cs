using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SemanticManipulation.Editing;
using SemanticManipulation.Imaging;
using SemanticManipulation.Pipeline;
using SemanticManipulation.Runtime;
using SemanticManipulation.Training.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Training.Evaluation;

/// <summary>
/// Shows what the pipeline does to real photos, which no model here was trained on: each photo, centre-cropped to the
/// generator's size, is inverted once, then gets the concept added in a square where the segmenter finds ground, and
/// (when the segmenter finds enough of it) removed where it is; each edit is adapted and rendered as <c>edit</c> does, and
/// judged by the segmenter's share in the mask before and after and by the PSNR of the kept pixels. The masks come from
/// the model's own segmenter (a photo has no ground truth), placed by the same planner as the world evaluation's. All
/// tensor work runs on the calling thread.
/// </summary>
public sealed partial class RealPhotoEvaluator(ILogger<RealPhotoEvaluator>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<RealPhotoEvaluator>.Instance;

    /// <summary>Runs the evaluation.</summary>
    /// <param name="editor">The pipeline (e.g. <c>ModelBundle.CreateEditor()</c>), with a concept catalog and a segmenter
    /// that both know the concept.</param>
    /// <param name="photos">Image files, in the order the report and the contact sheet list them.</param>
    /// <param name="options">Concept, mask placement, bar and pipeline options; null for the defaults.</param>
    /// <param name="progress">Receives the pipeline's progress, on the calling thread.</param>
    /// <param name="cancellationToken">Cancels the running inversion or adaptation; nothing is returned or written.</param>
    /// <exception cref="ArgumentException">The editor has no catalog or no segmenter, one of them does not know the concept,
    /// or a ground label is not one of the segmenter's.</exception>
    public RealPhotoEvaluationReport Evaluate(SemanticEditor editor, IReadOnlyList<string> photos, RealPhotoEvaluationOptions? options = null,
        IProgress<SemanticEditProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(editor);
        ArgumentNullException.ThrowIfNull(photos);
        options ??= new RealPhotoEvaluationOptions();
        options.Validate();
        TorchRuntime.EnsureInitialized();
        var segmenter = editor.Segmenter ?? throw new ArgumentException("The editor has no segmenter to place and judge the edits with.", nameof(editor));
        var catalog = editor.Catalog ?? throw new ArgumentException("The editor has no concept catalog; add and remove need one.", nameof(editor));
        var labels = segmenter.Labels.ToList();
        var conceptLabel = labels.FindIndex(l => string.Equals(l, options.Concept, StringComparison.OrdinalIgnoreCase));
        if (!catalog.TryGetRanking(options.Concept, out var ranking) || conceptLabel < 0)
        {
            throw new ArgumentException($"Cannot edit '{options.Concept}': the catalog and the segmenter must both know it " +
                $"(catalog: {string.Join(", ", catalog.Concepts)}; segmenter: {string.Join(", ", labels)}).", nameof(options));
        }

        var hosts = options.AddHostLabels.Select(name =>
        {
            var index = labels.FindIndex(l => string.Equals(l, name, StringComparison.OrdinalIgnoreCase));
            return index >= 0 ? (long)index : throw new ArgumentException($"'{name}' is not a segmenter label ({string.Join(", ", labels)}).", nameof(options));
        }).ToHashSet();
        var resolution = editor.Generator.Resolution;
        var grid = editor.Generator.RepresentationShape.Height;
        if (options.AddRegionCells >= grid)
        {
            throw new ArgumentException($"An added square of {options.AddRegionCells} cells would cover the whole {grid}×{grid} grid.", nameof(options));
        }

        if (options.RemoveRegionCells > grid)
        {
            throw new ArgumentException($"A remove window of {options.RemoveRegionCells} cells does not fit the {grid}×{grid} grid; at most {grid} (the whole photo).", nameof(options));
        }

        var concept = new PlannedConcept(ranking.Concept, conceptLabel);
        var clock = Stopwatch.StartNew();
        var rows = new List<RealPhotoEvaluationRow>();
        var pictures = new List<IReadOnlyList<Image<Rgb24>>>();
        try
        {
            foreach (var path in photos)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var row = options.ContactSheetPath is null ? null : new List<Image<Rgb24>>();
                if (row is not null)
                {
                    pictures.Add(row);
                }

                rows.Add(EvaluatePhoto(editor, path, concept, hosts, options, new PhotoContext(progress, row, cancellationToken)));
                var done = rows[^1];
                LogPhotoMeasured(_logger, done.Photo, done.InversionPsnrDb, done.Add.ShareBefore, done.Add.ShareAfter, done.Add.KeptPsnrDb,
                    done.Remove?.ShareBefore ?? double.NaN, done.Remove?.ShareAfter ?? double.NaN, done.Remove?.KeptPsnrDb ?? double.NaN);
            }

            if (options.ContactSheetPath is string sheet)
            {
                ContactSheet.SaveRows(pictures, sheet, ContactSheet.ReadableTileSide);
            }
        }
        finally
        {
            foreach (var picture in pictures.SelectMany(p => p))
            {
                picture.Dispose();
            }
        }

        return new RealPhotoEvaluationReport
        {
            Resolution = resolution,
            Concept = concept.Name,
            MinimumPsnrDb = options.MinimumPsnrDb,
            Photos = rows,
            Adaptation = AdaptationDescription.Of(options.Edit.Adaptation),
            Seconds = clock.Elapsed.TotalSeconds,
        };
    }

    private static RealPhotoEvaluationRow EvaluatePhoto(SemanticEditor editor, string path, PlannedConcept concept, IReadOnlySet<long> hosts,
        RealPhotoEvaluationOptions options, PhotoContext context)
    {
        var generator = editor.Generator;
        var resolution = generator.Resolution;
        using var photo = ImageTensor.Load(path, resolution);
        using var scope = NewDisposeScope();
        long[] labels;
        using (no_grad())
        {
            labels = editor.Segmenter!.Segment(photo.Photo.Tensor.to(generator.Device)).argmax(1).cpu().data<long>().ToArray();
        }

        var (addMask, _) = EditRegionPlanner.AddRegion(labels, resolution, generator.RepresentationShape.Height, concept.SegmenterLabel, hosts,
            options.AddRegionCells, options.AddMaxExistingShare);
        var removal = EditRegionPlanner.RemoveRegion(labels, resolution, [concept.SegmenterLabel], options.RemoveMinimumShare,
            options.RemoveDilationAt(resolution), (generator.RepresentationShape.Height, options.RemoveRegionCells));

        using var edit = editor.Open(photo.Photo, options.Edit, context.Progress, context.CancellationToken);
        if (context.Pictures is { } pictures)
        {
            using var noGrad = no_grad();
            pictures.Add(ImageTensor.ToImage(edit.Photo.Tensor));
            pictures.Add(ImageTensor.ToImage(generator.Late(edit.Representation)));
        }

        var add = Measure(edit, new AddConcept(concept.Name, Mask(addMask, edit)) { UnitCount = options.UnitCount }, concept, context);
        RealPhotoEditMeasurement? remove = null;
        if (removal is var (_, removeMask, _))
        {
            edit.Session.Reset();
            remove = Measure(edit, new RemoveConcept(concept.Name, Mask(removeMask, edit)) { UnitCount = options.UnitCount }, concept, context);
        }

        return new RealPhotoEvaluationRow
        {
            Photo = Path.GetFileName(path),
            ConceptShare = labels.Count(l => l == concept.SegmenterLabel) / (double)labels.Length,
            InversionPsnrDb = edit.Inversion!.PsnrDb,
            InversionSeconds = edit.Inversion.Seconds,
            Add = add,
            Remove = remove,
        };
    }

    private static Tensor Mask(float[] values, PhotoEdit edit) =>
        tensor(values, [1, 1, edit.Photo.Resolution, edit.Photo.Resolution]).to(edit.Photo.Device);

    private static RealPhotoEditMeasurement Measure(PhotoEdit edit, ConceptEdit request, PlannedConcept concept, PhotoContext context)
    {
        using var scope = NewDisposeScope();
        edit.Apply(request, context.Progress, context.CancellationToken);
        using var result = edit.Render(context.Progress, context.CancellationToken);
        if (context.Pictures is { } pictures)
        {
            pictures.Add(ContactSheet.MaskOverlay(edit.Photo.Tensor, request.Mask));
            pictures.Add(ImageTensor.ToImage(result.Image));
        }

        var share = result.Metrics.ConceptShares.Single(c => c.Concept == concept.Name);
        return new RealPhotoEditMeasurement(result.Metrics.MaskFraction, share.Before, share.After, result.Metrics.UneditedPsnrDb,
            result.Adapted.Metrics.Seconds);
    }

    [LoggerMessage(EventId = 320, Level = LogLevel.Information,
        Message = "{Photo}: inversion {Inversion:F2} dB; add {AddBefore:P1} -> {AddAfter:P1}, kept PSNR {AddPsnr:F2} dB; remove {RemoveBefore:P1} -> {RemoveAfter:P1}, kept PSNR {RemovePsnr:F2} dB")]
    private static partial void LogPhotoMeasured(ILogger logger, string photo, double inversion, double addBefore, double addAfter, double addPsnr,
        double removeBefore, double removeAfter, double removePsnr);

    /// <summary>The concept under the catalog's name, with its index among the segmenter's labels.</summary>
    private sealed record PlannedConcept(string Name, int SegmenterLabel);

    /// <summary>What every edit of one photo shares.</summary>
    private sealed record PhotoContext(IProgress<SemanticEditProgress>? Progress, List<Image<Rgb24>>? Pictures, CancellationToken CancellationToken);
}
