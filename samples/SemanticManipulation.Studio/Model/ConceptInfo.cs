namespace SemanticManipulation.Studio.Model;

/// <summary>A concept of the palette.</summary>
/// <param name="Name">The catalog's name (e.g. <c>tree</c>).</param>
/// <param name="Colour">The colour its strokes are drawn in, <c>#rrggbb</c>.</param>
internal sealed record ConceptInfo(string Name, string Colour);
