namespace SemanticManipulation.Training.World.Rendering;

/// <summary>
/// Smooth 2-D noise in roughly [-1, 1] with about one feature per unit, read from a precomputed tileable table.
/// </summary>
/// <remarks>A table lookup with bilinear filtering costs a few nanoseconds, which is what lets every grass, brick and
/// leaf sample carry texture while a 64×64 scene still renders in about a millisecond. The table is built from integer
/// hashes and basic float arithmetic only, so it is bit-identical on every machine and runtime.</remarks>
internal static class ValueNoise
{
    /// <summary>The pattern repeats every this many units along each axis.</summary>
    public const int Period = 32;

    private const int CellsPerUnit = 8;
    private const int TableSize = Period * CellsPerUnit;
    private const int Mask = TableSize - 1;
    private static readonly float[] Table = BuildTable();

    /// <summary>Samples the noise at (x, y); callers scale coordinates to choose the feature size.</summary>
    public static float Sample(float x, float y)
    {
        float fx = x * CellsPerUnit;
        float fy = y * CellsPerUnit;
        float flx = MathF.Floor(fx);
        float fly = MathF.Floor(fy);
        float tx = fx - flx;
        float ty = fy - fly;
        int ix = (int)flx & Mask;
        int iy = (int)fly & Mask;
        int ix1 = (ix + 1) & Mask;
        int row0 = iy * TableSize;
        int row1 = ((iy + 1) & Mask) * TableSize;
        float[] t = Table;
        float a = t[row0 + ix] + ((t[row0 + ix1] - t[row0 + ix]) * tx);
        float b = t[row1 + ix] + ((t[row1 + ix1] - t[row1 + ix]) * tx);
        return a + ((b - a) * ty);
    }

    /// <summary>Two octaves: a base layer and a half-strength layer at twice the frequency.</summary>
    public static float Fractal(float x, float y) =>
        (0.67f * Sample(x, y)) + (0.33f * Sample((x * 2.03f) + 7.31f, (y * 2.03f) + 3.17f));

    private static float[] BuildTable()
    {
        // Value noise on a Period×Period lattice, interpolated with the quintic fade so the table has no visible grid.
        var lattice = new float[Period * Period];
        for (int j = 0; j < Period; j++)
        {
            for (int i = 0; i < Period; i++)
            {
                lattice[(j * Period) + i] = Hash.Signed(i, j, 0x5EEDu);
            }
        }

        var table = new float[TableSize * TableSize];
        float sumSq = 0;
        for (int y = 0; y < TableSize; y++)
        {
            int ly = y / CellsPerUnit;
            float fy = Fade((y % CellsPerUnit) / (float)CellsPerUnit);
            int ly1 = (ly + 1) % Period;
            for (int x = 0; x < TableSize; x++)
            {
                int lx = x / CellsPerUnit;
                float fx = Fade((x % CellsPerUnit) / (float)CellsPerUnit);
                int lx1 = (lx + 1) % Period;
                float a = lattice[(ly * Period) + lx] + ((lattice[(ly * Period) + lx1] - lattice[(ly * Period) + lx]) * fx);
                float b = lattice[(ly1 * Period) + lx] + ((lattice[(ly1 * Period) + lx1] - lattice[(ly1 * Period) + lx]) * fx);
                float v = a + ((b - a) * fy);
                table[(y * TableSize) + x] = v;
                sumSq += v * v;
            }
        }

        // Interpolation shrinks the spread; rescale to a standard deviation of about 0.45 so [-1, 1] is the usual range.
        float scale = 0.45f / MathF.Sqrt(sumSq / table.Length);
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = Math.Clamp(table[i] * scale, -1f, 1f);
        }

        return table;
    }

    private static float Fade(float t) => t * t * t * ((t * ((t * 6f) - 15f)) + 10f);
}
