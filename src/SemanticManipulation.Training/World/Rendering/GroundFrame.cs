namespace SemanticManipulation.Training.World.Rendering;

/// <summary>Perspective on the ground plane: how far below the horizon a row is, and how much detail and haze it gets.</summary>
internal readonly struct GroundFrame(float horizonY)
{
    public float HorizonY => horizonY;

    /// <summary>Height below the horizon (never less than a tiny positive value).</summary>
    public float Drop(float y) => MathF.Max(y - horizonY, 0.004f);

    /// <summary>How much fine texture survives at y: 1 near the camera, fading to 0 at the horizon where it would alias.</summary>
    public float Detail(float y) => Math.Clamp((Drop(y) * 7f) - 0.05f, 0f, 1f);

    /// <summary>How much horizon haze covers the ground at y.</summary>
    public float Haze(float y)
    {
        float h = Math.Clamp(1f - (Drop(y) * 6f), 0f, 1f);
        return h * h;
    }
}
