namespace SemanticManipulation.Training.World.Rendering;

/// <summary>The colour of a surface at a scene point. Implemented by structs so shading is inlined into the fill loop.</summary>
internal interface IMaterial
{
    /// <summary>The colour at (x, y), given the colour already painted there (used by translucent surfaces).</summary>
    Rgb Shade(float x, float y, Rgb under);
}
