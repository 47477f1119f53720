namespace SemanticManipulation.Training.World.Rendering;

/// <summary>
/// Running-bond brickwork: courses offset by half a brick, light mortar joints, per-brick colour variation and weathering.
/// </summary>
/// <param name="frame">Maps the wall's face to image points (front faces use the identity).</param>
/// <param name="brick">Average brick colour.</param>
/// <param name="mortar">Mortar colour.</param>
/// <param name="courseHeight">Height of one course including its joint, in face units.</param>
/// <param name="brickLength">Length of one brick including its joint.</param>
/// <param name="light">How the face is lit.</param>
/// <param name="salt">Varies the bricks between buildings.</param>
internal readonly struct BrickMaterial(FaceFrame frame, Rgb brick, Rgb mortar, float courseHeight, float brickLength, SurfaceLight light, uint salt) : IMaterial
{
    private const float Joint = 0.2f;
    private readonly float _inverseCourse = 1f / courseHeight;
    private readonly float _inverseBrick = 1f / brickLength;
    private readonly float _headJoint = Joint * courseHeight / brickLength;

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
        float cu = (q.X * _inverseBrick) + ((row & 1) * 0.5f);
        float column = MathF.Floor(cu);
        float fu = cu - column;
        float weather = 1f + (0.07f * ValueNoise.Fractal(q.X * 9f, q.Y * 9f));
        Rgb c;
        if (fv < Joint || fu < _headJoint)
        {
            c = mortar * weather;
        }
        else
        {
            int col = (int)column;
            float tone = 1f + (0.16f * Hash.Signed(col, row, salt));
            float burnt = Hash.Unit(col, row, salt + 17u) < 0.12f ? 0.72f : 1f;

            // Bricks are slightly darker along their lower edge, where the course above overhangs the joint.
            float relief = 0.94f + (0.06f * MathF.Min(1f, (fv - Joint) * 6f));
            c = brick * (tone * burnt * relief * weather);
        }

        return c * light.At(x);
    }
}
