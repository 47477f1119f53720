namespace SemanticManipulation.Editing;

/// <summary>A unit and how well it matches a concept.</summary>
/// <param name="Unit">The unit (channel) index.</param>
/// <param name="Score">How well it matches (higher is better), in the ranking's metric, e.g. IoU.</param>
public readonly record struct RankedUnit(int Unit, float Score);
