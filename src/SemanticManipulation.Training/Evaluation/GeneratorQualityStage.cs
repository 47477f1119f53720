namespace SemanticManipulation.Training.Evaluation;

/// <summary>The image set <see cref="GeneratorQualityEvaluator"/> is working through.</summary>
public enum GeneratorQualityStage
{
    /// <summary>Generating and segmenting the generator's images.</summary>
    Generated,

    /// <summary>Rendering and segmenting the first world sample.</summary>
    World,

    /// <summary>Rendering the second, disjoint world sample (the reference Fréchet distance).</summary>
    SecondWorld,
}
