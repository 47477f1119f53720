using SemanticManipulation.Adaptation;
using SemanticManipulation.Editing;
using SemanticManipulation.Inversion;
using SemanticManipulation.Imaging;
using SemanticManipulation.Segmentation;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Pipeline;

/// <summary>
/// One photo being edited: its representation r, a stack of strokes (undoable), an instant preview, and the final
/// render through an image-specific generator. Keep it on one thread.
/// </summary>
public sealed class PhotoEdit : IDisposable
{
    private readonly SemanticEditor _editor;
    private readonly SemanticEditOptions _options;
    private AdaptedGenerator? _preview;
    private bool _disposed;

    internal PhotoEdit(SemanticEditor editor, ModelPhoto photo, InversionResult inversion, SemanticEditOptions options)
        : this(editor, photo, inversion.Representation, options)
    {
        Inversion = inversion.Metrics;
        inversion.Dispose();
    }

    internal PhotoEdit(SemanticEditor editor, ModelPhoto photo, Tensor representation, SemanticEditOptions options)
    {
        var generator = editor.Generator;
        photo.ThrowIfNotResolution(generator.Resolution);
        if (!representation.shape.SequenceEqual(generator.RepresentationShape.ToTensorShape()))
        {
            throw new ArgumentException(
                $"The representation must have shape [{string.Join(", ", generator.RepresentationShape.ToTensorShape())}]; got [{string.Join(", ", representation.shape)}].",
                nameof(representation));
        }

        _editor = editor;
        _options = options;
        using var scope = NewDisposeScope();
        Photo = photo.To(generator.Device);
        Representation = representation.detach().to(ScalarType.Float32).to(generator.Device).clone().DetachFromDisposeScope();
        Session = EditSession.For(generator);
    }

    /// <summary>The photo on the generator's device (this edit's own copy).</summary>
    public ModelPhoto Photo { get; }

    /// <summary>r, the photo's representation.</summary>
    public Tensor Representation { get; }

    /// <summary>How well the inversion reproduced the photo (null when r was given).</summary>
    public InversionMetrics? Inversion { get; }

    /// <summary>The strokes so far, with undo and redo.</summary>
    public EditSession Session { get; }

    /// <summary>Step 2: applies an edit ("add trees here") through the editor's operator for its type and pushes the
    /// stroke. A restyle's reference given as a file or an image is inverted first.</summary>
    /// <param name="edit">The edit: <see cref="AddConcept"/>, <see cref="RemoveConcept"/>, <see cref="Restyle"/>, or a
    /// host's own type with its registered operator.</param>
    /// <param name="progress">Receives the reference's inversion progress, when restyling after an image.</param>
    /// <param name="cancellationToken">Cancels a reference inversion; no stroke is pushed.</param>
    /// <returns>The stroke that was pushed.</returns>
    /// <exception cref="ArgumentException">No operator handles the edit's type, or the operator refuses the edit (the
    /// message says why).</exception>
    public EditStroke Apply(SemanticEdit edit, IProgress<SemanticEditProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edit);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var editOperator = _editor.Operators.Get(edit.GetType());
        using var scope = NewDisposeScope();
        var resolved = edit;
        if (edit is Restyle { Reference.Representation: null } restyle)
        {
            // Refuse a bad mask or region before the reference's inversion, not after it.
            _editor.Validate(restyle);
            resolved = restyle with { Reference = InvertReference(restyle.Reference, progress, cancellationToken) };
        }

        var context = new EditContext(_editor.Generator, _editor.Catalog)
        {
            Representation = Representation,
            Logger = _editor.LoggerFactory.CreateLogger(editOperator.GetType().FullName ?? nameof(PhotoEdit)),
        };
        var stroke = editOperator.CreateStroke(resolved, context);
        Session.Push(stroke);
        return stroke;
    }

    /// <summary>The reference's representation, inverted like the photo (with the reference options), so that its
    /// refinement runs with gradients and the operator gets data, not a file.</summary>
    private ReferenceImage InvertReference(ReferenceImage reference, IProgress<SemanticEditProgress>? progress, CancellationToken cancellationToken)
    {
        var generator = _editor.Generator;
        using var image = reference.Path is null
            ? ModelPhoto.From(reference.Image!, generator.Resolution)
            : ImageTensor.Load(reference.Path, generator.Resolution).Photo;
        using var inversion = _editor.Inverter.Invert(generator, image, _options.ReferenceInversion,
            SemanticEditor.Forward(progress, SemanticEditStage.InvertingReference), cancellationToken);
        return ReferenceImage.FromRepresentation(inversion.Representation.detach().clone(), reference.Region);
    }

    /// <summary>r_e: r with every applied stroke.</summary>
    public Tensor EditedRepresentation()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Session.Apply(Representation);
    }

    /// <summary>
    /// Step 5: the instant preview (GANPaint Studio's): renders <c>G'(r_e)</c> with δ zeroed inside the edit, from a
    /// G' fitted once per photo with no edit. The first call fits it (<see cref="SemanticEditOptions.PreviewAdaptation"/>);
    /// later calls only render.
    /// </summary>
    public Tensor RenderPreview(IProgress<SemanticEditProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _preview ??= _editor.Adapter.Fit(_editor.Generator, new AdaptationTarget(Photo, Representation), _options.PreviewAdaptation,
            SemanticEditor.Forward(progress), cancellationToken);
        using var scope = NewDisposeScope();
        var edited = EditedRepresentation();
        var region = Session.EditRegion();
        return (region is null ? _preview.Render(edited) : _preview.RenderPreview(edited, region)).MoveToOuterDisposeScope();
    }

    /// <summary>Steps 3 and 4: fits G' to the photo outside the edit and renders <c>G'(r_e)</c>.</summary>
    /// <param name="progress">Receives adaptation progress.</param>
    /// <param name="cancellationToken">Cancels the fit; nothing is returned and nothing leaks.</param>
    public SemanticEditResult Render(IProgress<SemanticEditProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var generator = _editor.Generator;
        using var scope = NewDisposeScope();
        var edited = EditedRepresentation();
        var region = Session.EditRegion();
        var adapted = _editor.Adapter.Fit(generator, new AdaptationTarget(Photo, Representation, region, edited), _options.Adaptation,
            SemanticEditor.Forward(progress), cancellationToken);
        try
        {
            var image = adapted.Render(edited);
            var metrics = new EditMetrics(
                adapted.Metrics.PsnrAfterDb, region?.Area ?? 0, ConceptShares(image), Inversion, adapted.Metrics);
            return new SemanticEditResult(image.DetachFromDisposeScope(), adapted, metrics);
        }
        catch
        {
            adapted.Dispose();
            throw;
        }
    }

    /// <summary>For each concept the strokes painted that the segmenter knows, its share inside those strokes' region in
    /// the photo and in <paramref name="edited"/>.</summary>
    private List<ConceptShare> ConceptShares(Tensor edited)
    {
        var shares = new List<ConceptShare>();
        if (_editor.Segmenter is not ISegmenter segmenter)
        {
            return shares;
        }

        using var scope = NewDisposeScope();
        foreach (var group in Session.Strokes.Where(s => s.Concept is not null).GroupBy(s => s.Concept!, StringComparer.Ordinal))
        {
            var label = segmenter.Labels.ToList().IndexOf(group.Key);
            if (label >= 0)
            {
                var region = StrokeMask.Union(group.Select(s => s.Mask)).ToTensor(_editor.Generator.Device);
                shares.Add(new ConceptShare(group.Key, segmenter.ShareInMask(Photo.Tensor, label, region), segmenter.ShareInMask(edited, label, region)));
            }
        }

        return shares;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _preview?.Dispose();
        Photo.Dispose();
        Representation.Dispose();
    }
}
