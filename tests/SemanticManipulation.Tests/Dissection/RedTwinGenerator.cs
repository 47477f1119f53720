using SemanticManipulation.Dissection;
using SemanticManipulation.Generators;
using SemanticManipulation.Tests.Editing;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Dissection;

/// <summary>The planted generator with a twin of the red unit that fires exactly where the red unit does but paints
/// nothing red: IoU cannot tell them apart, causal effects can.</summary>
internal static class RedTwinGenerator
{
    /// <summary>Below <see cref="PlantedGenerator.RedUnit"/>, so it wins IoU ties; its colour weight is a faint green.</summary>
    public const int Twin = 0;

    public static ProGanGenerator Create()
    {
        var generator = PlantedGenerator.Create();
        var state = generator.StateDict();
        using var noGrad = no_grad();
        state["layer4.conv.weight"][Twin].copy_(state["layer4.conv.weight"][PlantedGenerator.RedUnit]);
        state["layer4.wscale.b"][Twin].copy_(state["layer4.wscale.b"][PlantedGenerator.RedUnit]);
        return generator;
    }

    /// <summary>The planted model's small dissection, keeping four units per concept.</summary>
    public static DissectionOptions Options(CausalRankingOptions? causal)
    {
        var options = PlantedModel.Options(seed: 0);
        options.UnitsPerConcept = 4;
        options.CausalRanking = causal;
        return options;
    }
}
