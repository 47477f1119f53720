namespace SemanticManipulation.Training.World.Rendering;

/// <summary>Perspective coordinates on the ground plane, so that ground texture shrinks toward the horizon.</summary>
internal readonly struct GroundFrame(float horizonY)
{
    public float HorizonY => horizonY;

    /// <summary>Height below the horizon (never less than a tiny positive value).</summary>
    public float Drop(float y) => MathF.Max(y - horizonY, 0.004f);

    /// <summary>Ground-plane coordinates (across, distance) of an image point below the horizon.</summary>
    public Vec2 ToGround(float x, float y)
    {
        float distance = 1f / Drop(y);
        return new Vec2((x - 0.5f) * distance, distance);
    }

    /// <summary>How much fine texture survives at y: 1 near the camera, fading to 0 at the horizon where it would alias.</summary>
    public float Detail(float y) => Math.Clamp((Drop(y) * 7f) - 0.05f, 0f, 1f);

    /// <summary>How much horizon haze covers the ground at y.</summary>
    public float Haze(float y)
    {
        float h = Math.Clamp(1f - (Drop(y) * 6f), 0f, 1f);
        return h * h;
    }
}
