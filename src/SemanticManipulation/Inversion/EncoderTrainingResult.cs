namespace SemanticManipulation.Inversion;

/// <summary>A trained encoder and how its training went. Owns the encoder: dispose it, or the result.</summary>
public sealed class EncoderTrainingResult : IDisposable
{
    internal EncoderTrainingResult(HybridEncoder encoder, IReadOnlyList<EncoderPartReport> parts, bool resumed)
    {
        Encoder = encoder;
        Parts = parts;
        Resumed = resumed;
    }

    /// <summary>The trained encoder (in inference mode).</summary>
    public HybridEncoder Encoder { get; }

    /// <summary>Every part in training order: <c>trunk</c>, <c>inv{k}</c> … <c>inv1</c>, <c>joint</c>.</summary>
    public IReadOnlyList<EncoderPartReport> Parts { get; }

    /// <summary>Whether this run continued from a checkpoint.</summary>
    public bool Resumed { get; }

    /// <summary>The training time of a stage (all its parts, over all resumed runs).</summary>
    public TimeSpan StageTime(EncoderTrainingStage stage) =>
        TimeSpan.FromSeconds(Parts.Where(p => p.Stage == stage).Sum(p => p.Seconds));

    /// <inheritdoc />
    public void Dispose() => Encoder.Dispose();
}
