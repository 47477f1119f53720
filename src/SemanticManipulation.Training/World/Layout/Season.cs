namespace SemanticManipulation.Training.World.Layout;

/// <summary>The season; it sets grass and foliage colours (conifers stay green).</summary>
internal enum Season
{
    Summer,
    Spring,
    Autumn,
    Winter,
}
