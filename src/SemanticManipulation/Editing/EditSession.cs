using System.Text;
using SemanticManipulation.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Editing;

/// <summary>
/// The strokes a user painted on one photo, with undo, redo and reset: yields the edited representation r_e (and the
/// painted region, for adaptation) for the applied strokes or any prefix of them, and saves to JSON to resume later.
/// </summary>
/// <remarks>
/// Strokes are kept, not their results: r_e is recomputed from r and the strokes, so undoing and redoing give exactly
/// the same tensors. Not thread-safe; use one session per editing user.
/// </remarks>
/// <example>
/// <code>
/// var session = EditSession.For(generator);
/// session.Push(registry.CreateStroke(new AddConcept("tree", mask), context));
/// using var edited = session.Apply(r);      // r_e
/// session.Undo();                            // back to r
/// </code>
/// </example>
public sealed class EditSession
{
    private readonly List<EditStroke> _strokes = [];
    private int _applied;

    /// <summary>Creates an empty session.</summary>
    /// <param name="representationShape">The shape of r (one image).</param>
    /// <param name="resolution">The generator's resolution; every stroke's mask must have it.</param>
    public EditSession(FeatureShape representationShape, int resolution)
    {
        if (representationShape.Channels < 1 || representationShape.Height < 1 || representationShape.Width < 1)
        {
            throw new ArgumentException($"Invalid representation shape {representationShape}.", nameof(representationShape));
        }

        ImageTensor.ThrowIfInvalidResolution(resolution);
        RepresentationShape = representationShape;
        Resolution = resolution;
    }

    /// <summary>Raised after every push, undo, redo and reset.</summary>
    public event EventHandler? Changed;

    /// <summary>The shape of r.</summary>
    public FeatureShape RepresentationShape { get; }

    /// <summary>The generator's resolution.</summary>
    public int Resolution { get; }

    /// <summary>The applied strokes, oldest first.</summary>
    public IReadOnlyList<EditStroke> Strokes => _strokes.GetRange(0, _applied);

    /// <summary>The strokes that <see cref="Redo"/> would re-apply, next first.</summary>
    public IReadOnlyList<EditStroke> RedoStrokes => _strokes.GetRange(_applied, _strokes.Count - _applied);

    /// <summary>Number of applied strokes.</summary>
    public int Count => _applied;

    /// <summary>Whether there is a stroke to undo.</summary>
    public bool CanUndo => _applied > 0;

    /// <summary>Whether there is a stroke to redo.</summary>
    public bool CanRedo => _applied < _strokes.Count;

    /// <summary>A session for <paramref name="generator"/>'s representation and resolution.</summary>
    public static EditSession For(ILayerSplitGenerator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return new EditSession(generator.RepresentationShape, generator.Resolution);
    }

    /// <summary>Applies a stroke on top of the others; the strokes that could be redone are discarded.</summary>
    /// <exception cref="ArgumentException">The stroke's mask has another resolution, or it changes a unit the
    /// representation does not have.</exception>
    public void Push(EditStroke stroke)
    {
        ArgumentNullException.ThrowIfNull(stroke);
        if (stroke.Mask.Size != Resolution)
        {
            throw new ArgumentException(
                $"The stroke's mask is {stroke.Mask.Size}×{stroke.Mask.Size}; this session edits {Resolution}×{Resolution} images.",
                nameof(stroke));
        }

        var outside = stroke.Units.Where(u => u >= RepresentationShape.Channels).ToArray();
        if (outside.Length > 0)
        {
            throw new ArgumentException(
                $"The stroke changes units {string.Join(", ", outside)}; the representation has {RepresentationShape.Channels}.",
                nameof(stroke));
        }

        _strokes.RemoveRange(_applied, _strokes.Count - _applied);
        _strokes.Add(stroke);
        _applied++;
        Changed?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>Takes back the last applied stroke.</summary>
    /// <returns>False when there was nothing to undo.</returns>
    public bool Undo()
    {
        if (!CanUndo)
        {
            return false;
        }

        _applied--;
        Changed?.Invoke(this, EventArgs.Empty);
        return true;
    }

    /// <summary>Re-applies the last undone stroke.</summary>
    /// <returns>False when there was nothing to redo.</returns>
    public bool Redo()
    {
        if (!CanRedo)
        {
            return false;
        }

        _applied++;
        Changed?.Invoke(this, EventArgs.Empty);
        return true;
    }

    /// <summary>Discards every stroke, applied or undone: the photo as it was.</summary>
    public void Reset()
    {
        _strokes.Clear();
        _applied = 0;
        Changed?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>The composite edit of the first <paramref name="strokeCount"/> applied strokes ("over", in order).</summary>
    /// <param name="strokeCount">How many strokes, from the oldest; null for all applied strokes.</param>
    /// <param name="device">Where the edit's tensors live; null for the CPU.</param>
    /// <exception cref="ArgumentOutOfRangeException">The count is negative or above <see cref="Count"/>.</exception>
    public FeatureEdit BuildEdit(int? strokeCount = null, Device? device = null)
    {
        var count = CheckedCount(strokeCount);
        var edit = FeatureEdit.Empty(RepresentationShape, device);
        for (var i = 0; i < count; i++)
        {
            using var stroke = FeatureEdit.FromStroke(_strokes[i], RepresentationShape, device);
            var next = edit.Then(stroke);
            edit.Dispose();
            edit = next;
        }

        return edit;
    }

    /// <summary>r_e for the first <paramref name="strokeCount"/> applied strokes.</summary>
    /// <param name="representation">r, <c>[N, C, H, W]</c>.</param>
    /// <param name="strokeCount">How many strokes, from the oldest; null for all applied strokes.</param>
    /// <returns>A new float32 tensor on r's device; with no strokes, an exact copy of r.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The count is negative or above <see cref="Count"/>.</exception>
    public Tensor Apply(Tensor representation, int? strokeCount = null)
    {
        ArgumentNullException.ThrowIfNull(representation);
        var count = CheckedCount(strokeCount);
        if (count == 0)
        {
            using var scope = NewDisposeScope();
            return representation.to(ScalarType.Float32).clone().MoveToOuterDisposeScope();
        }

        using var edit = BuildEdit(count, representation.device);
        return edit.Apply(representation);
    }

    /// <summary>The painted region of the first <paramref name="strokeCount"/> applied strokes at image resolution: the
    /// largest mask value per pixel (what adaptation must not pull back to the photo). Null when no stroke is counted.</summary>
    /// <param name="strokeCount">How many strokes, from the oldest; null for all applied strokes.</param>
    /// <exception cref="ArgumentOutOfRangeException">The count is negative or above <see cref="Count"/>.</exception>
    public StrokeMask? EditRegion(int? strokeCount = null)
    {
        var count = CheckedCount(strokeCount);
        return count == 0 ? null : StrokeMask.Union(_strokes.Take(count).Select(s => s.Mask));
    }

    /// <summary><see cref="EditRegion"/> as a new tensor <c>[1, 1, S, S]</c> the caller owns; null when no stroke is
    /// counted.</summary>
    /// <param name="strokeCount">How many strokes, from the oldest; null for all applied strokes.</param>
    /// <param name="device">Where the mask lives; null for the CPU.</param>
    /// <exception cref="ArgumentOutOfRangeException">The count is negative or above <see cref="Count"/>.</exception>
    public Tensor? EditMask(int? strokeCount = null, Device? device = null) => EditRegion(strokeCount)?.ToTensor(device);

    /// <summary>The session (all strokes, including those that could be redone) as JSON.</summary>
    public string ToJson() => EditSessionJson.Write(this, _strokes, _applied);

    /// <summary>Restores a session written by <see cref="ToJson"/>.</summary>
    /// <exception cref="InvalidDataException">The text is not a valid session; the message says why.</exception>
    public static EditSession FromJson(string json, string description = "edit session")
    {
        ArgumentNullException.ThrowIfNull(json);
        var (shape, resolution, strokes, applied) = EditSessionJson.Read(json, description);
        EditSession session;
        try
        {
            session = new EditSession(shape, resolution);
            foreach (var stroke in strokes)
            {
                session.Push(stroke);
            }
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"{description}: {ex.Message}", ex);
        }

        session._applied = applied;
        return session;
    }

    /// <summary>Writes the session as JSON, atomically.</summary>
    /// <param name="path">The file; replaced if it exists.</param>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var bytes = Encoding.UTF8.GetBytes(ToJson());
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>Loads a session written by <see cref="Save"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid session.</exception>
    public static EditSession Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The edit session '{path}' does not exist.", path);
        }

        return FromJson(File.ReadAllText(path), Path.GetFileName(path));
    }

    private int CheckedCount(int? strokeCount)
    {
        var count = strokeCount ?? _applied;
        if (count < 0 || count > _applied)
        {
            throw new ArgumentOutOfRangeException(nameof(strokeCount), count, $"The session has {_applied} applied strokes.");
        }

        return count;
    }
}
