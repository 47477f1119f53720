namespace SemanticManipulation.Studio.Sessions;

/// <summary>A progress report of a long job, streamed to the page as one NDJSON line.</summary>
/// <param name="Stage"><c>inverting</c>, <c>fitting-preview</c>, <c>inverting-reference</c> or <c>adapting</c>.</param>
/// <param name="Step">Steps done in the stage.</param>
/// <param name="Total">The stage's step budget.</param>
/// <param name="PsnrDb">Reconstruction PSNR so far, in dB.</param>
/// <param name="ElapsedSeconds">Time in the stage.</param>
internal sealed record StudioProgress(string Stage, int Step, int Total, double PsnrDb, double ElapsedSeconds)
{
    /// <summary>The NDJSON event type.</summary>
    public string Type { get; } = "progress";
}
