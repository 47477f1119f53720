namespace SemanticManipulation.Training.World.Rendering;

/// <summary>Ashlar masonry: large dressed blocks of slightly varying tone with thin, darker joints.</summary>
/// <param name="frame">Maps the wall's face to image points.</param>
/// <param name="stone">Average stone colour.</param>
/// <param name="joint">Joint colour.</param>
/// <param name="courseHeight">Height of one course.</param>
/// <param name="blockLength">Average block length.</param>
/// <param name="light">How the face is lit.</param>
/// <param name="salt">Varies the blocks between buildings.</param>
internal readonly struct StoneMaterial(FaceFrame frame, Rgb stone, Rgb joint, float courseHeight, float blockLength, SurfaceLight light, uint salt) : IMaterial
{
    private const float JointWidth = 0.1f;
    private readonly float _inverseCourse = 1f / courseHeight;
    private readonly float _inverseBlock = 1f / blockLength;

    public void BeginRow(float y)
    {
    }

    public Rgb Shade(float x, float y, Rgb under)
    {
        Vec2 q = frame.ToFace(x, y);
        float cv = q.Y * _inverseCourse;
        float course = MathF.Floor(cv);
        float fv = cv - course;
        int row = (int)course;

        // Each course starts its blocks at its own random offset, as real ashlar does.
        float cu = (q.X * _inverseBlock) + Hash.Unit(row, 0, salt);
        float column = MathF.Floor(cu);
        float fu = cu - column;
        float weather = 1f + (0.08f * ValueNoise.Fractal(q.X * 7f, q.Y * 7f)) + (0.04f * ValueNoise.Sample(q.X * 60f, q.Y * 60f));
        Rgb c;
        if (fv < JointWidth || fu < JointWidth * courseHeight * _inverseBlock)
        {
            c = joint * weather;
        }
        else
        {
            float tone = 1f + (0.09f * Hash.Signed((int)column, row, salt));
            c = stone * (tone * weather);
        }

        return c * light.At(x);
    }
}
