using Microsoft.Extensions.Options;
using SemanticManipulation.Adaptation;
using SemanticManipulation.Editing;
using SemanticManipulation.Imaging;
using SemanticManipulation.Inversion;
using SemanticManipulation.Pipeline;
using SemanticManipulation.Studio.Api;
using SemanticManipulation.Studio.Model;
using SemanticManipulation.Studio.Worker;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Studio.Sessions;

/// <summary>
/// What a session can do, each as one job on the tensor worker: open a photo (invert it and fit the preview G' once),
/// apply, undo, redo, delete and reset strokes (each answered with its preview), render (full adaptation) and make the
/// full-size composite. Everything the SDK does happens here, through the <see cref="SemanticEditor"/> of the model.
/// </summary>
internal sealed class StudioEditing
{
    private readonly TensorWorker _worker;
    private readonly SessionStore _store;
    private readonly StudioModel _model;
    private readonly StudioOptions _options;

    public StudioEditing(TensorWorker worker, SessionStore store, StudioModel model, IOptions<StudioOptions> options)
    {
        _worker = worker;
        _store = store;
        _model = model;
        _options = options.Value;
    }

    /// <summary>The decoding limits for every image that comes from a client (size, pixels, frames).</summary>
    public ImageLoadOptions LoadOptions => new()
    {
        MaxBytes = _options.MaxUploadBytes,
        MaxSide = _options.MaxImageSide,
        MaxPixels = _options.MaxImagePixels,
    };

    private SemanticEditOptions EditOptions => new()
    {
        Inversion = new InversionOptions { Steps = _options.InversionSteps },
        ReferenceInversion = new InversionOptions { Steps = _options.ReferenceInversionSteps },
        Adaptation = new AdaptationOptions { Steps = _options.RenderAdaptationSteps, TargetKeptPsnrDb = _options.TargetKeptPsnrDb },
        PreviewAdaptation = new AdaptationOptions { Steps = _options.PreviewAdaptationSteps, Kind = PerturbationKinds.Free, TargetKeptPsnrDb = _options.TargetKeptPsnrDb },
    };

    private int Resolution => _model.Resolution;

    /// <summary>The session as the page shows it.</summary>
    public Task<SessionState> State(StudioSession session) => _worker.Run(() =>
    {
        session.ThrowIfReleased();
        return StateOf(session);
    });

    /// <summary>Opens a photo in <paramref name="session"/>, replacing any photo it had: inverts it (a generated image is
    /// not: its representation is known) and fits the preview G' once, reporting both to <paramref name="progress"/>.</summary>
    public Task<SessionState> Open(StudioSession session, PhotoSource source, IProgress<StudioProgress> progress, CancellationToken cancellationToken) =>
        _worker.Run(() =>
        {
            session.ThrowIfReleased();
            var opened = source switch
            {
                PhotoSource.Upload upload => OpenImage(upload.Bytes, "upload", progress, cancellationToken),
                PhotoSource.Sample sample => OpenImage(File.ReadAllBytes(sample.Path), $"sample:{sample.Id}", progress, cancellationToken),
                PhotoSource.Seed seed => OpenGenerated(seed.Value, progress, cancellationToken),
                _ => throw new ArgumentOutOfRangeException(nameof(source)),
            };
            session.DropRender();
            session.Photo?.Dispose();
            session.Photo = opened.Photo;
            session.PhotoNumber++;
            session.PreviewPng = opened.PreviewPng;
            session.Strokes.Clear();
            session.StrokeVersion++;
            Measure(session);
            return StateOf(session);
        }, cancellationToken);

    /// <summary>Keeps an uploaded reference image for restyle strokes; returns its id.</summary>
    public Task<string> AddReference(StudioSession session, byte[] encoded) => _worker.Run(() =>
    {
        session.ThrowIfReleased();
        ThrowIfReferencesFull(session);
        var id = $"r{session.References.Count + 1}";
        session.References[id] = encoded;
        Measure(session);
        return id;
    });

    /// <summary>Refuses another reference when the session keeps as many as it may (checked before an upload is read, and
    /// again on the worker, which alone changes the references).</summary>
    public void ThrowIfReferencesFull(StudioSession session)
    {
        if (session.References.Count >= _options.MaxReferencesPerSession)
        {
            throw StudioException.Conflict(
                $"This session already keeps {_options.MaxReferencesPerSession} uploaded references (Studio:MaxReferencesPerSession); reload the page to start afresh.");
        }
    }

    /// <summary>Applies a stroke and answers with the new preview.</summary>
    public Task<SessionState> ApplyStroke(StudioSession session, StrokeCommand command, CancellationToken cancellationToken) =>
        _worker.Run(() =>
        {
            var photo = RequirePhoto(session);
            // Checked here, on the worker, in order with the opens: the endpoint's check of a running open has a gap.
            if (command.Photo is int painted && painted != session.PhotoNumber)
            {
                throw StudioException.Conflict(
                    $"This stroke was painted on photo {painted}, and the session has opened photo {session.PhotoNumber} since; paint it again.");
            }

            using var scope = NewDisposeScope();
            var mask = StrokeMask.FromValues(Resolution, command.Mask).ToTensor(_model.Editor.Generator.Device);
            using var referenceImage = command.Reference is ReferenceChoice.Sample or ReferenceChoice.Upload
                ? LoadReferenceImage(session, command.Reference)
                : null;
            var reference = command.Reference switch
            {
                null => null,
                ReferenceChoice.Seed seed => ReferenceImage.FromRepresentation(GeneratedRepresentation(seed.Value)),
                _ => ReferenceImage.FromImage(referenceImage!.Tensor),
            };
            var edit = NamedEdits.Create(command.Action, mask, command.Concept, command.Intensity, command.Strength, reference);
            var stroke = photo.Edit.Apply(edit, null, cancellationToken);
            session.Strokes[stroke] = new StrokeInfo(
                session.NextStrokeId++, command.Action, command.Concept,
                command.Concept is null ? null : command.Intensity.ToString().ToLowerInvariant(),
                command.Strength, command.Reference?.Label, Math.Round(stroke.Mask.Coverage, 6), stroke.Units.Count, stroke.Notes);
            return Changed(session);
        }, cancellationToken);

    /// <summary>Takes back the last stroke.</summary>
    public Task<SessionState> Undo(StudioSession session) => _worker.Run(() =>
    {
        var photo = RequirePhoto(session);
        return photo.Edit.Session.Undo() ? Changed(session) : throw StudioException.Conflict("Nothing to undo: no stroke is applied.");
    });

    /// <summary>Brings back the last undone stroke.</summary>
    public Task<SessionState> Redo(StudioSession session) => _worker.Run(() =>
    {
        var photo = RequirePhoto(session);
        return photo.Edit.Session.Redo() ? Changed(session) : throw StudioException.Conflict("Nothing to redo: no stroke was undone since the last change.");
    });

    /// <summary>Removes every stroke: the photo as it was opened.</summary>
    public Task<SessionState> Reset(StudioSession session) => _worker.Run(() =>
    {
        RequirePhoto(session).Edit.Session.Reset();
        return Changed(session);
    });

    /// <summary>Deletes one applied stroke, keeping the others in order (the strokes that could be redone are dropped,
    /// as after any new change).</summary>
    public Task<SessionState> DeleteStroke(StudioSession session, int strokeId) => _worker.Run(() =>
    {
        var edits = RequirePhoto(session).Edit.Session;
        var applied = edits.Strokes.ToList();
        var target = applied.FirstOrDefault(s => session.Strokes.TryGetValue(s, out var info) && info.Id == strokeId)
            ?? throw StudioException.NotFound(
                $"No applied stroke has id {strokeId}; the applied strokes are: {string.Join(", ", applied.Select(s => session.Strokes[s].Id)) switch { "" => "none", var ids => ids }}.");
        edits.Reset();
        foreach (var stroke in applied.Where(s => !ReferenceEquals(s, target)))
        {
            edits.Push(stroke);
        }

        return Changed(session);
    });

    /// <summary>Renders the current strokes: fits G' outside them (the full adaptation) and renders, reporting the fit.</summary>
    public Task<SessionState> Render(StudioSession session, IProgress<StudioProgress> progress, CancellationToken cancellationToken) =>
        _worker.Run(() =>
        {
            var photo = RequirePhoto(session);
            var result = photo.Edit.Render(new StageProgress(progress, "adapting"), cancellationToken);
            try
            {
                var png = Png(result.Image);
                session.DropRender();
                session.Render = new RenderedEdit(result, png, session.StrokeVersion, ResultBytes(result));
            }
            catch
            {
                result.Dispose();
                throw;
            }

            Measure(session);
            return StateOf(session);
        }, cancellationToken);

    /// <summary>The last render composited onto the photo at the photo's own size: only the edited region (grown and
    /// softened as fitting excluded it) comes from the rendering, every other pixel is the photo's own.</summary>
    public Task<byte[]> FullSizeComposite(StudioSession session) => _worker.Run(() =>
    {
        var photo = RequirePhoto(session);
        var render = session.Render ?? throw StudioException.Conflict("Nothing is rendered yet: render the edit first.");
        using var original = ImageTensor.Decode(new MemoryStream(photo.Original, writable: false), LoadOptions);
        var adapted = render.Result.Adapted;
        using var region = adapted.EditMask is null ? zeros(1, 1, Resolution, Resolution) : adapted.EditedRegion();
        using var composite = ImageTensor.PasteBack(render.Result.Image, original, photo.Fit, region);
        return Png(composite);
    });

    /// <summary>The generator's image for <paramref name="seed"/>, as PNG.</summary>
    public Task<byte[]> GeneratedPng(long seed) => _worker.Run(() =>
    {
        using var noGrad = no_grad();
        return Png(_model.Editor.Generator.Late(GeneratedRepresentation(seed)).clamp(-1, 1));
    });

    private (OpenedPhoto Photo, byte[] PreviewPng) OpenImage(byte[] encoded, string source, IProgress<StudioProgress> progress, CancellationToken cancellationToken)
    {
        using var loaded = ImageTensor.Load(new MemoryStream(encoded, writable: false), Resolution, LoadOptions);
        var edit = _model.Editor.Open(loaded.Tensor, EditOptions, new StageProgress(progress, "fitting-preview"), cancellationToken);
        return FitPreview(edit, source, encoded, loaded.Fit, Png(loaded.Tensor), progress, cancellationToken);
    }

    private (OpenedPhoto Photo, byte[] PreviewPng) OpenGenerated(long seed, IProgress<StudioProgress> progress, CancellationToken cancellationToken)
    {
        Tensor representation, image;
        using (no_grad())
        {
            representation = GeneratedRepresentation(seed);
            image = _model.Editor.Generator.Late(representation).clamp(-1, 1);
        }

        var png = Png(image);
        var edit = _model.Editor.Open(image, representation, EditOptions);
        // The generated image is its own "photo at full size": the model's canvas, fitted exactly.
        var fit = ImageFit.Compute(new SixLabors.ImageSharp.Size(Resolution, Resolution), Resolution, ImageFitMode.Exact);
        return FitPreview(edit, $"seed:{seed}", png, fit, png, progress, cancellationToken);
    }

    private (OpenedPhoto Photo, byte[] PreviewPng) FitPreview(PhotoEdit edit, string source, byte[] original, ImageFit fit, byte[] photoPng,
        IProgress<StudioProgress> progress, CancellationToken cancellationToken)
    {
        try
        {
            // GANPaint Studio's fit-once preview: the first call fits the preview G', every later stroke only renders.
            var preview = edit.RenderPreview(new StageProgress(progress, "fitting-preview"), cancellationToken);
            var previewPng = Png(preview);
            return (new OpenedPhoto(edit, source, original, fit, photoPng, OpenedBytes()), previewPng);
        }
        catch
        {
            edit.Dispose();
            throw;
        }
    }

    private Tensor GeneratedRepresentation(long seed)
    {
        using var noGrad = no_grad();
        return _model.Editor.Generator.Early(_model.SeededLatent(seed)).detach();
    }

    private LoadedImage LoadReferenceImage(StudioSession session, ReferenceChoice reference)
    {
        var encoded = reference switch
        {
            ReferenceChoice.Sample sample => File.ReadAllBytes(sample.Path),
            ReferenceChoice.Upload upload => session.References.GetValueOrDefault(upload.Id)
                ?? throw StudioException.NotFound($"Unknown reference id '{upload.Id}': upload the reference first (POST …/references)."),
            _ => throw new ArgumentOutOfRangeException(nameof(reference)),
        };
        return ImageTensor.Load(new MemoryStream(encoded, writable: false), Resolution, LoadOptions);
    }

    private static OpenedPhoto RequirePhoto(StudioSession session)
    {
        session.ThrowIfReleased();
        return session.Photo ?? throw StudioException.Conflict("No photo is open in this session: open an upload, a sample or a seed first.");
    }

    /// <summary>After a change of the strokes: forget what no longer exists, re-render the preview, answer with the state.</summary>
    private SessionState Changed(StudioSession session)
    {
        var edits = session.Photo!.Edit;
        var alive = edits.Session.Strokes.Concat(edits.Session.RedoStrokes).ToHashSet(ReferenceEqualityComparer.Instance);
        foreach (var gone in session.Strokes.Keys.Where(s => !alive.Contains(s)).ToList())
        {
            session.Strokes.Remove(gone);
        }

        session.StrokeVersion++;
        using (var preview = edits.RenderPreview())
        {
            session.PreviewPng = Png(preview);
        }

        Measure(session);
        return StateOf(session);
    }

    private SessionState StateOf(StudioSession session)
    {
        var photo = session.Photo;
        var edits = photo?.Edit.Session;
        var render = session.Render;
        var metrics = render?.Result.Metrics;
        return new SessionState(
            session.Id,
            photo is null ? null : new PhotoInfo(photo.Source, photo.Fit.OriginalSize.Width, photo.Fit.OriginalSize.Height, Resolution,
                photo.Edit.Inversion?.PsnrDb is double psnr ? Decibels(psnr) : null, session.PhotoNumber),
            edits is null ? [] : [.. edits.Strokes.Select(s => session.Strokes[s])],
            edits?.RedoStrokes.Count ?? 0,
            edits?.CanUndo ?? false,
            edits?.CanRedo ?? false,
            session.StrokeVersion,
            session.PreviewPng is null ? null : "data:image/png;base64," + Convert.ToBase64String(session.PreviewPng),
            metrics is null ? null : new RenderInfo(
                Decibels(metrics.UneditedPsnrDb), Math.Round(metrics.MaskFraction, 6), metrics.ConceptShares,
                metrics.Adaptation.Steps, Math.Round(metrics.Adaptation.Seconds, 3), render!.StrokeVersion != session.StrokeVersion),
            session.Busy,
            session.EstimatedBytes);
    }

    // A PSNR of identical pixels is infinite, which JSON cannot carry: the page shows null as an exact match.
    private static double? Decibels(double psnr) => double.IsFinite(psnr) ? Math.Round(psnr, 3) : null;

    /// <summary>Estimates what the session holds and lets the store evict others if the cache is over its limit.</summary>
    private void Measure(StudioSession session)
    {
        long bytes = 0;
        if (session.Photo is OpenedPhoto photo)
        {
            bytes += photo.TensorBytes + photo.Original.Length + photo.PhotoPng.Length;
            // Each stroke keeps its S×S float mask (applied and undone ones alike).
            var strokes = photo.Edit.Session.Strokes.Count + photo.Edit.Session.RedoStrokes.Count;
            bytes += (long)strokes * Resolution * Resolution * sizeof(float);
        }

        bytes += (session.Render?.TensorBytes ?? 0) + (session.Render?.Png.Length ?? 0) + (session.PreviewPng?.Length ?? 0);
        bytes += session.References.Values.Sum(r => (long)r.Length);
        _store.Measured(session, bytes);
    }

    /// <summary>The tensors of an opened photo: the photo and r in the edit, and the preview G' (free δ of each
    /// perturbation point's full shape, its own copies of the photo and r, and its keep mask).</summary>
    private long OpenedBytes()
    {
        var generator = _model.Editor.Generator;
        var shape = generator.RepresentationShape;
        long photo = 3L * Resolution * Resolution, representation = (long)shape.Channels * shape.Height * shape.Width;
        var delta = generator.PerturbationPoints.Sum(p => (long)p.Shape.Channels * p.Shape.Height * p.Shape.Width);
        return sizeof(float) * ((2 * photo) + (2 * representation) + delta + ((long)Resolution * Resolution));
    }

    /// <summary>The tensors a render keeps: the image, G''s perturbation (parameters and buffers) and its inputs.</summary>
    private static long ResultBytes(SemanticEditResult result)
    {
        static long Size(Tensor? t) => t is null ? 0 : t.NumberOfElements * t.ElementSize;
        var adapted = result.Adapted;
        return Size(result.Image) + Size(adapted.Photo) + Size(adapted.Representation) + Size(adapted.EditMask) + Size(adapted.Keep)
            + adapted.Perturbation.parameters().Sum(p => Size(p)) + adapted.Perturbation.buffers().Sum(b => Size(b));
    }

    private static byte[] Png(Tensor image)
    {
        using var picture = ImageTensor.ToImage(image);
        return Png(picture);
    }

    private static byte[] Png(Image<Rgb24> picture)
    {
        using var stream = new MemoryStream();
        picture.SaveAsPng(stream);
        return stream.ToArray();
    }
}
