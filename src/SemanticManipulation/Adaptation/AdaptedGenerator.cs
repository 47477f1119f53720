using SemanticManipulation.Editing;
using SemanticManipulation.Imaging;
using TorchSharp;
using System.Text.Json;
using SemanticManipulation.Checkpoints;
using SemanticManipulation.Runtime;
using static TorchSharp.torch;

namespace SemanticManipulation.Adaptation;

/// <summary>
/// An image-specific generator G': the generator's G_F with fitted perturbations δ at its perturbation points, for one
/// photo. Renders edits of that photo (<see cref="Render"/>), instant previews without re-fitting
/// (<see cref="RenderPreview(Tensor, Tensor)"/>), and can be saved and loaded so a host fits once and edits later.
/// </summary>
public sealed class AdaptedGenerator : IDisposable
{
    private const string MetadataKey = "semantic_manipulation.adapted_generator";
    // 2: R's convs have equalised learning rates (weights stored at unit scale) and its heads read centred features.
    // Version-1 states are converted when loaded, so they render as they did.
    // 3: R's stages finer than PerturbationNetwork.MaxStageResolution are folded into sub-pixel heads. States of such
    // generators saved from unfolded stages (by version 2, or re-saved since) are recognised by their noise and loaded
    // into unfolded stages, the layout they were saved with.
    private const int FormatVersion = 3;
    private bool _disposed;

    internal AdaptedGenerator(
        ILayerSplitGenerator generator,
        Perturbation perturbation,
        AdaptationOptions options,
        AdaptationMetrics metrics,
        Tensor photo,
        Tensor representation,
        Tensor? editMask,
        Tensor keep)
    {
        Generator = generator;
        Perturbation = perturbation;
        Options = options;
        Metrics = metrics;
        Photo = photo;
        Representation = representation;
        EditMask = editMask;
        Keep = keep;
    }

    /// <summary>The generator being adapted (not owned: disposing G' leaves it alive).</summary>
    public ILayerSplitGenerator Generator { get; }

    /// <summary>The fitted perturbation (owned).</summary>
    public Perturbation Perturbation { get; }

    /// <summary>The options the fit ran with.</summary>
    public AdaptationOptions Options { get; }

    /// <summary>How well the fit reproduced the photo.</summary>
    public AdaptationMetrics Metrics { get; }

    /// <summary>The photo, <c>[1, 3, R, R]</c> in [-1, 1].</summary>
    public Tensor Photo { get; }

    /// <summary>The photo's representation r, <c>[1, C, H, W]</c>.</summary>
    public Tensor Representation { get; }

    /// <summary>The edit mask the fit excluded, if any.</summary>
    public Tensor? EditMask { get; }

    /// <summary>The pixel weights the fit reproduced the photo on, <c>[1, 1, R, R]</c> in [0, 1]: 1 − the edit mask grown
    /// and blurred (all ones without a mask). Computed once, by the fit, and used by <see cref="EditedRegion"/>.</summary>
    public Tensor Keep { get; }

    /// <summary>Renders <c>G'(r_e)</c>; with no argument, G'(r), the reconstruction of the photo.</summary>
    /// <param name="editedRepresentation">r_e, <c>[1, C, H, W]</c>; null for r.</param>
    /// <returns>The image, <c>[1, 3, R, R]</c> in [-1, 1] (not clamped).</returns>
    public Tensor Render(Tensor? editedRepresentation = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var r = Checked(editedRepresentation ?? Representation);
        return Generator.Late(r, PerturbationHook.Create(Perturbation.Compute(), Options.Mode)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The interactive preview (GANPaint Studio's): renders <c>G'(r_e)</c> with δ set to zero inside
    /// <paramref name="editMask"/> (resized to each perturbation point), so the edit shows at once without re-fitting.
    /// </summary>
    /// <param name="editedRepresentation">r_e.</param>
    /// <param name="editMask">The edited region, <c>[1, 1, R, R]</c> in [0, 1].</param>
    public Tensor RenderPreview(Tensor editedRepresentation, Tensor editMask)
    {
        ArgumentNullException.ThrowIfNull(editedRepresentation);
        ArgumentNullException.ThrowIfNull(editMask);
        ObjectDisposedException.ThrowIf(_disposed, this);
        AdaptationInputs.ValidateMask(editMask, Generator.Resolution);
        using var scope = NewDisposeScope();
        return Preview(editedRepresentation, editMask.to(Generator.Device)).MoveToOuterDisposeScope();
    }

    /// <summary>The preview for an edit region that was checked when it was made.</summary>
    internal Tensor RenderPreview(Tensor editedRepresentation, StrokeMask editRegion)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        AdaptationInputs.RequireRegion(editRegion, Generator.Resolution);

        using var scope = NewDisposeScope();
        return Preview(editedRepresentation, editRegion.ToTensor(Generator.Device)).MoveToOuterDisposeScope();
    }

    private Tensor Preview(Tensor editedRepresentation, Tensor editMask)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var hook = PerturbationHook.Create(Perturbation.Compute(), Options.Mode, editMask);
        return Generator.Late(Checked(editedRepresentation), hook).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Pastes the photo back outside the soft edit region: <c>keep·x + (1 − keep)·rendered</c>, with keep computed as in
    /// fitting (dilated, blurred). An option; the paper's output is the rendering itself.
    /// </summary>
    /// <param name="rendered">A rendering of this photo, <c>[1, 3, R, R]</c>.</param>
    /// <param name="editMask">The edited region; null uses the mask the fit excluded.</param>
    public Tensor PastePhoto(Tensor rendered, Tensor? editMask = null)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        using var scope = NewDisposeScope();
        var edited = EditedRegion(editMask);
        return (((1 - edited) * Photo) + (edited * rendered.to(Generator.Device))).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The soft region an edit changes, <c>1 − keep</c>: the edit mask grown and blurred exactly as fitting excluded it,
    /// <c>[1, 1, R, R]</c> in [0, 1]. Outside it G' reproduces the photo, so compositing the rendering over the photo
    /// with this weight (see <see cref="ImageTensor.PasteBack(Tensor, SixLabors.ImageSharp.Image{SixLabors.ImageSharp.PixelFormats.Rgb24}, ImageFit, Tensor?)"/>)
    /// keeps every unedited pixel of the photo at its own resolution.
    /// </summary>
    /// <param name="editMask">The edited region; null uses the mask the fit excluded.</param>
    /// <exception cref="ArgumentException">No mask is given and the fit had none.</exception>
    public Tensor EditedRegion(Tensor? editMask = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (editMask is null)
        {
            return EditMask is null ? throw new ArgumentException("No edit mask: pass the edited region.", nameof(editMask)) : 1 - Keep;
        }

        AdaptationInputs.ValidateMask(editMask, Generator.Resolution);
        using var scope = NewDisposeScope();
        return (1 - KeepFor(editMask, Options, Generator)).MoveToOuterDisposeScope();
    }

    /// <summary>The keep mask fitting uses for <paramref name="editMask"/> (null: every pixel kept).</summary>
    internal static Tensor KeepFor(Tensor? editMask, AdaptationOptions options, ILayerSplitGenerator generator)
    {
        var resolution = generator.Resolution;
        return KeepMask.Compute(editMask, resolution, options.DilationAt(resolution), options.BlurSigmaAt(resolution), generator.Device);
    }

    /// <summary>Saves the fitted state (δ or R's weights and noise, options, photo, r, mask) to a safetensors file,
    /// atomically.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            ["photo"] = Photo,
            ["representation"] = Representation,
        };
        if (EditMask is not null)
        {
            tensors["edit_mask"] = EditMask;
        }

        foreach (var (name, tensor) in Perturbation.state_dict())
        {
            tensors["perturbation." + name] = tensor;
        }

        var schedule = Options.ScheduleFor(Perturbation);
        var description = new SavedDescription(
            FormatVersion,
            Perturbation.Kind,
            Options.Mode.ToString(),
            Generator.Resolution,
            Generator.SplitLayer,
            Generator.PerturbationPoints.Select(p => $"{p.LayerName}:{p.Shape.Channels}x{p.Shape.Height}x{p.Shape.Width}").ToArray(),
            Options.Steps,
            Options.LearningRate,
            Options.DeltaPenalty,
            Options.DilationPixels,
            Options.BlurSigmaPixels,
            Options.Seed,
            Metrics,
            // Peak factor, warm-up share, decay share: how the rate moved (states saved before schedules lack it).
            [schedule.PeakFactor, schedule.WarmupFraction, schedule.DecayFraction],
            Options.TargetKeptPsnrDb);
        SafeTensorsWriter.Write(path, tensors, new Dictionary<string, string>
        {
            [MetadataKey] = JsonSerializer.Serialize(description),
        });
    }

    /// <summary>Loads a state written by <see cref="Save"/> for <paramref name="generator"/>.</summary>
    /// <param name="path">The state file.</param>
    /// <param name="generator">The generator the state was fitted for (its resolution, split and perturbation points
    /// must match).</param>
    /// <param name="factory">Creates the perturbation to load into; null for the built-in kinds. A state of R saved from
    /// stages at each point's own resolution (before R folded stages finer than 64²) is loaded into such an R, built here
    /// on the generator's device, in place of the one the factory made.</param>
    /// <exception cref="CheckpointFormatException">The file is not an adapted state, or it was fitted for another
    /// generator; the message says what differs.</exception>
    public static AdaptedGenerator Load(string path, ILayerSplitGenerator generator, IPerturbationNetworkFactory? factory = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(generator);
        TorchRuntime.EnsureInitialized();
        var display = Path.GetFileName(path);
        using var state = StateDictReader.Read(path);
        if (!state.Metadata.TryGetValue(MetadataKey, out var json))
        {
            throw new CheckpointFormatException($"{display} is not an adapted-generator state (no '{MetadataKey}' metadata).", display);
        }

        var saved = ReadDescription(json, display);
        var points = generator.PerturbationPoints.Select(p => $"{p.LayerName}:{p.Shape.Channels}x{p.Shape.Height}x{p.Shape.Width}").ToArray();
        if (saved.Resolution != generator.Resolution || saved.SplitLayer != generator.SplitLayer || !saved.Points.SequenceEqual(points))
        {
            var mismatch =
                $"{display} was fitted for a {saved.Resolution}×{saved.Resolution} generator split at {saved.SplitLayer} with points " +
                $"[{string.Join(", ", saved.Points)}]; this generator is {generator.Resolution}×{generator.Resolution} split at " +
                $"{generator.SplitLayer} with points [{string.Join(", ", points)}].";
            throw new CheckpointFormatException(mismatch, display);
        }

        var options = new AdaptationOptions
        {
            Steps = saved.Steps,
            LearningRate = saved.LearningRate,
            DeltaPenalty = saved.DeltaPenalty,
            DilationPixels = saved.DilationPixels,
            BlurSigmaPixels = saved.BlurSigmaPixels,
            Seed = saved.Seed,
            Kind = saved.Kind,
            Mode = Enum.TryParse<PerturbationMode>(saved.Mode, out var mode) && Enum.IsDefined(mode)
                ? mode
                : throw new CheckpointFormatException($"{display}: unknown perturbation mode '{saved.Mode}' in the metadata.", display),
            Schedule = saved.Schedule is null ? null : SavedSchedule(saved.Schedule, display),
            // States saved before the target was recorded say nothing of it.
            TargetKeptPsnrDb = saved.TargetKeptPsnrDb,
        };
        const string prefix = "perturbation.";
        var perturbationState = state.Tensors
            .Where(t => t.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(t => t.Key[prefix.Length..], t => t.Value, StringComparer.Ordinal);
        Perturbation perturbation;
        try
        {
            options.Validate();
            perturbation = (factory ?? new PerturbationNetworkFactory()).Create(generator, saved.Kind, saved.Seed);
        }
        catch (ArgumentException ex)
        {
            // Out-of-range saved options, or a kind no factory here makes: the file, not the caller, is at fault.
            throw new CheckpointFormatException($"{display}: {ex.Message.Split('\n', 2)[0].TrimEnd()}", display, ex);
        }

        try
        {
            if (perturbation is PerturbationNetwork network && network.UnfoldedLayoutFor(perturbationState, saved.Seed) is { } unfolded)
            {
                perturbation.Dispose();
                perturbation = unfolded;
                unfolded.to(generator.Device);
            }

            try
            {
                PerturbationState.CopyInto(perturbation, perturbationState);
                if (saved.Version < 2 && perturbation is PerturbationNetwork version1)
                {
                    version1.ConvertFromVersion1();
                }
            }
            catch (ArgumentException ex)
            {
                throw new CheckpointFormatException($"{display}: {ex.Message}", display, ex);
            }

            // Every tensor's presence and shape is checked before any is copied.
            var resolution = generator.Resolution;
            var expected = new Dictionary<string, long[]>(StringComparer.Ordinal)
            {
                ["photo"] = [1, 3, resolution, resolution],
                ["representation"] = generator.RepresentationShape.ToTensorShape(),
            };
            if (state.Tensors.ContainsKey("edit_mask"))
            {
                expected["edit_mask"] = [1, 1, resolution, resolution];
            }

            foreach (var (key, shape) in expected)
            {
                var tensor = state.Tensors.TryGetValue(key, out var t) ? t : throw new CheckpointFormatException($"{display}: missing key '{key}'.", display);
                if (!tensor.shape.SequenceEqual(shape))
                {
                    throw new CheckpointFormatException(
                        $"{display}: '{key}' has shape {ImageTensor.FormatShape(tensor.shape)}; this generator needs {ImageTensor.FormatShape(shape)}.", display);
                }
            }

            // Made in a scope and detached together at the end, so that nothing leaks if one of them fails.
            using var scope = NewDisposeScope();
            Tensor Take(string key) => state.Tensors[key].to(ScalarType.Float32).to(generator.Device).clone();

            var editMask = expected.ContainsKey("edit_mask") ? Take("edit_mask") : null;
            var keep = KeepFor(editMask, options, generator);
            var photo = Take("photo");
            var representation = Take("representation");
            return new AdaptedGenerator(generator, perturbation, options, saved.Metrics, photo.DetachFromDisposeScope(),
                representation.DetachFromDisposeScope(), editMask?.DetachFromDisposeScope(), keep.DetachFromDisposeScope());
        }
        catch
        {
            perturbation.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Perturbation.Dispose();
        Photo.Dispose();
        Representation.Dispose();
        EditMask?.Dispose();
        Keep.Dispose();
    }

    private Tensor Checked(Tensor r)
    {
        var shape = Generator.RepresentationShape.ToTensorShape();
        if (!r.shape.SequenceEqual(shape))
        {
            throw new ArgumentException(
                $"The representation must have shape [{string.Join(", ", shape)}]; got [{string.Join(", ", r.shape)}].");
        }

        return r.to(Generator.Device);
    }

    private static SavedDescription ReadDescription(string json, string display)
    {
        SavedDescription? saved;
        try
        {
            saved = JsonSerializer.Deserialize<SavedDescription>(json);
        }
        catch (JsonException ex)
        {
            throw new CheckpointFormatException($"{display}: the adapted-generator metadata is not valid JSON ({ex.Message}).", display, ex);
        }

        if (saved is null)
        {
            throw new CheckpointFormatException($"{display}: the adapted-generator metadata is empty.", display);
        }

        // Records deserialise missing members as null whatever their declared type.
        if (saved.Kind is null || saved.Mode is null || saved.SplitLayer is null || saved.Points is null || saved.Metrics is null)
        {
            throw new CheckpointFormatException($"{display}: the adapted-generator metadata is incomplete (kind, mode, split layer, points and metrics are needed).", display);
        }

        return saved;
    }

    private static LearningRateSchedule SavedSchedule(double[] values, string display)
    {
        try
        {
            return values is [var peak, var warmup, var decay]
                ? new LearningRateSchedule(peak, warmup, decay)
                : throw new ArgumentException($"expected 3 values, found {values.Length}");
        }
        catch (ArgumentException error)
        {
            throw new CheckpointFormatException($"{display}: the saved learning-rate schedule is not valid ({error.Message.Split('(')[0].Trim()}).", display);
        }
    }

    private sealed record SavedDescription(
        int Version,
        string Kind,
        string Mode,
        int Resolution,
        string SplitLayer,
        string[] Points,
        int Steps,
        double LearningRate,
        double DeltaPenalty,
        double? DilationPixels,
        double? BlurSigmaPixels,
        long Seed,
        AdaptationMetrics Metrics,
        double[]? Schedule = null,
        double? TargetKeptPsnrDb = null);
}
