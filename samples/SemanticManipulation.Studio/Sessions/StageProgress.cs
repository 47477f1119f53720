using SemanticManipulation.Pipeline;

namespace SemanticManipulation.Studio.Sessions;

/// <summary>
/// Passes the SDK's progress on to the page, synchronously and in order (<see cref="Progress{T}"/> would post each
/// report to the thread pool, where they can overtake each other), naming the adaptation stage after the job it
/// belongs to: the preview fit when opening, the render's adaptation otherwise.
/// </summary>
internal sealed class StageProgress(IProgress<StudioProgress> target, string adaptingStage) : IProgress<SemanticEditProgress>
{
    public void Report(SemanticEditProgress value) => target.Report(new StudioProgress(
        value.Stage switch
        {
            SemanticEditStage.Inverting => "inverting",
            SemanticEditStage.InvertingReference => "inverting-reference",
            _ => adaptingStage,
        },
        value.Step,
        value.TotalSteps,
        double.IsFinite(value.PsnrDb) ? Math.Round(value.PsnrDb, 3) : 0,
        Math.Round(value.Elapsed.TotalSeconds, 3)));
}
