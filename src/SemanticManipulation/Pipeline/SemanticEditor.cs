using SemanticManipulation.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SemanticManipulation.Adaptation;
using SemanticManipulation.Editing;
using SemanticManipulation.Imaging;
using SemanticManipulation.Inversion;
using SemanticManipulation.Runtime;
using static TorchSharp.torch;

namespace SemanticManipulation.Pipeline;

/// <summary>
/// The method end to end, for one generator: <c>Open</c> inverts a photo; the returned <see cref="PhotoEdit"/>
/// takes edits ("add trees here"), previews them instantly, and renders the final result by adapting an
/// image-specific generator. The one place the pipeline is put together: build it from its parts
/// (<see cref="SemanticEditorParts"/>, e.g. a bundle's), or resolve it from DI (<c>AddSemanticManipulation</c>).
/// </summary>
/// <example>
/// <code>
/// var editor = new SemanticEditor(bundle.Parts());
/// using var edit = editor.Open(photo.Tensor, options, progress, ct);          // 1. invert
/// edit.Apply(new AddConcept("tree", mask, ConceptIntensity.High));           // 2. edit
/// using var result = edit.Render(progress, ct);                               // 3. adapt, 4. render
/// ImageTensor.Save(result.Image, "edited.png");
/// </code>
/// </example>
public sealed class SemanticEditor
{
    private readonly ILoggerFactory _loggerFactory;

    /// <summary>Creates the editor from its parts; what they leave out takes the SDK's defaults.</summary>
    /// <param name="parts">The generator and whichever other parts the host chose.</param>
    /// <param name="loggerFactory">Logging for every stage.</param>
    public SemanticEditor(SemanticEditorParts parts, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(parts.Generator, nameof(parts));
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        Parts = parts;
        Inverter = parts.Inverter ?? new ImageInverter(parts.Encoder, parts.FeatureLoss, _loggerFactory.CreateLogger<ImageInverter>());
        Operators = parts.Operators ?? EditOperatorRegistry.CreateDefault();
        Adapter = new GeneratorAdapter(parts.Perturbations, _loggerFactory.CreateLogger<GeneratorAdapter>());
    }

    /// <summary>The parts it was made of, as given.</summary>
    public SemanticEditorParts Parts { get; }

    /// <summary>The generator.</summary>
    public ILayerSplitGenerator Generator => Parts.Generator;

    /// <summary>The inverter.</summary>
    public IImageInverter Inverter { get; }

    /// <summary>The edit operators.</summary>
    public EditOperatorRegistry Operators { get; }

    /// <summary>The concept catalog, if any.</summary>
    public IConceptCatalog? Catalog => Parts.Catalog;

    /// <summary>The segmenter that judges edits, if any.</summary>
    public ISegmenter? Segmenter => Parts.Segmenter;

    /// <summary>Fits G'.</summary>
    public GeneratorAdapter Adapter { get; }

    internal ILoggerFactory LoggerFactory => _loggerFactory;

    /// <summary>
    /// Checks <paramref name="edit"/> against this editor's model without a photo, so a front end can refuse a bad request
    /// before spending the inversion's seconds on it: an operator handles its type and its mask is a painted mask; a concept
    /// edit's concept is in the catalog, which fits the generator; a restyle's reference region, when given, is a painted
    /// mask (the reference image itself is read and inverted when the edit is applied). Of a host's own edit, only that an
    /// operator is registered for it (its operator checks the rest when the edit is applied). Nothing is kept.
    /// </summary>
    /// <param name="edit">The edit a later <see cref="PhotoEdit.Apply"/> will apply.</param>
    /// <exception cref="ArgumentException">No operator handles the edit's type, or the edit is refused (the message says
    /// why; an unknown concept is an <see cref="UnknownConceptException"/>).</exception>
    /// <exception cref="InvalidOperationException">A concept edit, and the editor has no concept catalog.</exception>
    public void Validate(SemanticEdit edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        if (Operators.Get(edit.GetType()) is IEditPrecheck precheck)
        {
            precheck.Precheck(edit, new EditContext(Generator, Catalog));
        }
    }

    /// <summary>Step 1: checks <paramref name="photo"/> (<see cref="ModelPhoto.From"/>), inverts it and opens it for
    /// editing.</summary>
    /// <param name="photo">The photo, <c>[1, 3, R, R]</c> in [-1, 1]; not modified.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <param name="progress">Receives inversion progress.</param>
    /// <param name="cancellationToken">Cancels the inversion; nothing is kept.</param>
    /// <exception cref="ArgumentException">The photo's shape, type or values are not a photo's at the generator's
    /// resolution.</exception>
    public PhotoEdit Open(Tensor photo, SemanticEditOptions? options = null, IProgress<SemanticEditProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        using var checkedPhoto = ModelPhoto.From(photo, Generator.Resolution);
        return Open(checkedPhoto, options, progress, cancellationToken);
    }

    /// <summary>Step 1: inverts <paramref name="photo"/> and opens it for editing.</summary>
    /// <param name="photo">The photo at the generator's resolution (e.g. <c>ImageTensor.Load(path, R).Photo</c>); the edit
    /// keeps its own copy.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <param name="progress">Receives inversion progress.</param>
    /// <param name="cancellationToken">Cancels the inversion; nothing is kept.</param>
    /// <exception cref="ArgumentException">The photo is not at the generator's resolution.</exception>
    public PhotoEdit Open(ModelPhoto photo, SemanticEditOptions? options = null, IProgress<SemanticEditProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(photo);
        TorchRuntime.EnsureInitialized();
        options ??= new SemanticEditOptions();
        var inversion = Inverter.Invert(Generator, photo, options.Inversion, Forward(progress, SemanticEditStage.Inverting), cancellationToken);
        try
        {
            return new PhotoEdit(this, photo, inversion, options);
        }
        catch
        {
            inversion.Dispose();
            throw;
        }
    }

    /// <summary>Opens a photo whose representation is already known (e.g. G_H(z) of a generated image, or a saved r).</summary>
    /// <param name="photo">The photo, <c>[1, 3, R, R]</c> in [-1, 1]; checked and copied.</param>
    /// <param name="representation">r, <c>[1, C, H, W]</c> at the split layer; copied.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <exception cref="ArgumentException">The photo or the representation does not fit the generator.</exception>
    public PhotoEdit Open(Tensor photo, Tensor representation, SemanticEditOptions? options = null)
    {
        using var checkedPhoto = ModelPhoto.From(photo, Generator.Resolution);
        return Open(checkedPhoto, representation, options);
    }

    /// <summary>Opens a photo whose representation is already known (e.g. G_H(z) of a generated image, or a saved r).</summary>
    /// <param name="photo">The photo at the generator's resolution; the edit keeps its own copy.</param>
    /// <param name="representation">r, <c>[1, C, H, W]</c> at the split layer; copied.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <exception cref="ArgumentException">The photo or the representation does not fit the generator.</exception>
    public PhotoEdit Open(ModelPhoto photo, Tensor representation, SemanticEditOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(photo);
        ArgumentNullException.ThrowIfNull(representation);
        return new PhotoEdit(this, photo, representation, options ?? new SemanticEditOptions());
    }

    internal static IProgress<InversionProgress>? Forward(IProgress<SemanticEditProgress>? progress, SemanticEditStage stage) =>
        progress is null ? null : new SynchronousProgress<InversionProgress>(p =>
            progress.Report(new SemanticEditProgress(stage, p.Step, p.TotalSteps, p.PsnrDb, p.Elapsed)));

    internal static IProgress<AdaptationProgress>? Forward(IProgress<SemanticEditProgress>? progress) =>
        progress is null ? null : new SynchronousProgress<AdaptationProgress>(p =>
            progress.Report(new SemanticEditProgress(SemanticEditStage.Adapting, p.Step, p.TotalSteps, p.KeptPsnrDb, p.Elapsed)));
}
