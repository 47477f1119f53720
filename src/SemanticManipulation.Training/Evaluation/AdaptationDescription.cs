using System.Globalization;
using SemanticManipulation.Adaptation;

namespace SemanticManipulation.Training.Evaluation;

/// <summary>How an evaluation's edits were fitted, in the words its reports print: an edit's result depends on the fit
/// (at 128² a long one erodes what the edit added), so a report says which one it judged.</summary>
internal static class AdaptationDescription
{
    /// <summary>The perturbation kind, steps, learning rate, schedule and any early stop of <paramref name="adaptation"/>.</summary>
    public static string Of(AdaptationOptions adaptation)
    {
        var stop = adaptation.TargetKeptPsnrDb is { } target ? string.Create(CultureInfo.InvariantCulture, $", stopping at {target} dB kept PSNR") : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{adaptation.Kind}, {adaptation.Steps} steps at lr {adaptation.LearningRate}, schedule: {adaptation.Schedule?.ToString() ?? "the perturbation's own"}{stop}");
    }
}
