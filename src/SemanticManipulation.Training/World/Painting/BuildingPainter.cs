using SemanticManipulation.Training.World.Layout;
using SemanticManipulation.Training.World.Rendering;

namespace SemanticManipulation.Training.World.Painting;

/// <summary>
/// Paints one building: contact shadow, receding side face and roof, dome, front face, roof trims, windows, door and
/// towers, in an order that lets nearer parts hide farther ones.
/// </summary>
/// <remarks>
/// The side face is the front face's edge swept toward a vanishing point on the horizon: a point p at the back of the
/// building is drawn at p + f·(vanishing point − p). Walls, roofs and windows on receding planes are textured through a
/// <see cref="FaceFrame"/> so that courses, tiles and openings converge with the geometry.
/// </remarks>
internal sealed class BuildingPainter
{
    private readonly SampleCanvas _canvas;
    private readonly BuildingPlan _b;
    private readonly SceneLight _light;
    private readonly float _left;
    private readonly float _right;
    private readonly float _top;
    private readonly float _base;
    private readonly int _side;
    private readonly Vec2 _vanishing;
    private readonly float _edgeX;
    private readonly float _depthScale;
    private readonly float _backFraction;
    private readonly Rgb _frontLight;
    private readonly Rgb _sideLight;
    private readonly FaceFrame _sideFrame;
    private readonly byte _wallLabel;

    public BuildingPainter(SampleCanvas canvas, BuildingPlan b, SceneLight light, float horizonY)
    {
        _canvas = canvas;
        _b = b;
        _light = light;
        _left = b.X - (b.Width * 0.5f);
        _right = b.X + (b.Width * 0.5f);
        _base = b.BaseY;
        _top = b.BaseY - b.WallHeight;
        _side = b.Side;
        _vanishing = new Vec2(b.X + (b.Side * b.VanishDistance), horizonY);
        _edgeX = b.Side > 0 ? _right : _left;
        _depthScale = MathF.Abs(_vanishing.X - _edgeX);
        _backFraction = b.SideWidth / _depthScale;
        _frontLight = light.On(0f, 0f, 1f);
        _sideLight = light.On(b.Side, 0f, 0f);
        _sideFrame = new FaceFrame(new Vec2(_edgeX, _top), new Vec2(_edgeX, _base), _vanishing, _depthScale, _edgeX, b.Side, _top);
        _wallLabel = (byte)(b.Masonry.Kind == Masonry.Brick ? SceneLabel.Brick : SceneLabel.Stone);
    }

    private Vec2 Apex => new(_b.X, _top - _b.RoofHeight);

    public void Paint()
    {
        PaintShadow();
        if (_b.Kind == BuildingKind.Rotunda)
        {
            PaintRotunda();
            return;
        }

        if (_side != 0)
        {
            PaintSideFace();
            if (_b.Roof == RoofStyle.Gable)
            {
                PaintSideRoof();
            }
        }

        if (_b.Dome is { } dome)
        {
            (float cx, float baseY) = DomeSeat();
            PaintDome(dome, cx, baseY);
        }

        PaintFrontFace();
        switch (_b.Roof)
        {
            case RoofStyle.Gable:
                PaintGableTrims();
                PaintRoseWindow();
                break;
            case RoofStyle.Hipped:
                PaintHippedRoof();
                break;
            default:
                PaintCornice();
                break;
        }

        PaintFrontWindows();
        if (_b.Door is { } door && _b.Tower?.Placement != TowerPlacement.Center)
        {
            PaintDoor(door, _base, _frontLight);
        }

        if (_b.Tower is { } tower)
        {
            PaintTower(tower);
        }

        if (_b.SecondTower is { } second)
        {
            PaintTower(second);
        }
    }

    /// <summary>Where the back of the building is drawn for a point <paramref name="p"/> on the front plane.</summary>
    private Vec2 Back(Vec2 p, float fraction) => Vec2.Lerp(p, _vanishing, fraction);

    private void FillWall<TShape>(in TShape shape, FaceFrame frame, SurfaceLight light)
        where TShape : struct, IShape
    {
        MasonryPlan m = _b.Masonry;
        if (m.Kind == Masonry.Brick)
        {
            _canvas.Fill(shape, new BrickMaterial(frame, m.Color, m.Joint, m.CourseHeight, m.UnitLength, light, m.Salt), _wallLabel);
        }
        else
        {
            _canvas.Fill(shape, new StoneMaterial(frame, m.Color, m.Joint, m.CourseHeight, m.UnitLength, light, m.Salt), _wallLabel);
        }
    }

    private void FillRoof<TShape>(in TShape shape, FaceFrame frame, float rowHeight, Rgb left, Rgb right, float splitX)
        where TShape : struct, IShape =>
        _canvas.Fill(shape, new RoofMaterial(frame, _b.RoofColor, rowHeight, left, right, splitX, _b.RoofSalt), (byte)SceneLabel.Roof);

    private void PaintShadow()
    {
        float span = _b.Width + _b.SideWidth;
        float cx = _b.X + (_side * _b.SideWidth * 0.5f) - (_light.SunX * span * 0.3f);
        float rx = (span * 0.6f) + 0.02f, ry = MathF.Max(0.012f, span * 0.08f);
        _canvas.Fill(new EllipseShape(cx, _base + 0.004f, rx, ry),
            new ShadowMaterial(cx, _base + 0.004f, rx, ry, 0.5f * _light.Diffuse), SampleCanvas.KeepLabel);
    }

    private void PaintSideFace()
    {
        var frontTop = new Vec2(_edgeX, _top);
        var frontBottom = new Vec2(_edgeX, _base);
        FillWall(new ConvexPolygon(frontTop, frontBottom, Back(frontBottom, _backFraction), Back(frontTop, _backFraction)),
            _sideFrame, SurfaceLight.Flat(_sideLight));

        int n = _b.Windows.SideCount;
        if (n == 0)
        {
            return;
        }

        // Windows are placed evenly along the wall's true depth, so the far ones come out narrower and closer together.
        float depth = _depthScale * _backFraction / (1f - _backFraction);
        bool house = _b.Kind == BuildingKind.House;
        float vTop = _top + (_b.WallHeight * (house ? 0.25f : 0.2f));
        float vBottom = _top + (_b.WallHeight * (house ? 0.55f : 0.62f));
        float half = MathF.Min(depth / n * 0.2f, (vBottom - vTop) * 0.3f);
        for (int i = 0; i < n; i++)
        {
            float u = _edgeX + (_side * depth * (i + 0.5f) / n);
            PaintWindow(new ArchShape(u - half, u + half, vTop, vBottom, _b.Windows.Arched ? half : 0f), _sideFrame,
                u - half, u + half, vTop, vBottom, _sideLight);
        }
    }

    private void PaintSideRoof()
    {
        Vec2 apex = Apex;
        Vec2 eave = Vec2.Lerp(apex, new Vec2(_edgeX, _top), 1.08f);
        float fraction = MathF.Min(_backFraction * 1.04f, 0.95f);
        FaceFrame frame = new(apex, eave, _vanishing, _depthScale, 0f, 1f, 0f);
        Rgb lit = SlopeLight(_side);
        FillRoof(new ConvexPolygon(apex, eave, Back(eave, fraction), Back(apex, fraction)), frame, _b.RoofRowHeight, lit, lit, -10f);
    }

    /// <summary>Brightness of the gable roof's slope facing <paramref name="direction"/> (-1 left, +1 right).</summary>
    private Rgb SlopeLight(float direction)
    {
        float rise = _b.RoofHeight, run = _b.Width * 0.5f;
        float length = MathF.Sqrt((rise * rise) + (run * run));
        return _light.On(direction * rise / length, run / length, 0.1f);
    }

    /// <summary>The dome's centre x and the y its drum stands on: the middle of the ridge, or the flat roof.</summary>
    private (float X, float Y) DomeSeat()
    {
        float seat = _base - BuildingComposer.DomeBase(_b);
        if (_side == 0)
        {
            return (_b.X, seat);
        }

        Vec2 middle = Back(new Vec2(_b.X, seat), _backFraction * 0.5f);
        return (middle.X, middle.Y);
    }

    private void PaintDome(DomePlan d, float cx, float baseY)
    {
        float r = d.Radius;
        float drumTop = baseY - d.DrumHeight;
        if (d.DrumHeight > 0f)
        {
            float drum = r * 0.94f;
            FillWall(new RectShape(cx - drum, drumTop, cx + drum, baseY), FaceFrame.Front, SurfaceLight.Cylinder(_light, cx, drum));
            if (d.DrumHeight > 0.018f)
            {
                ReadOnlySpan<float> positions = drum > 0.07f ? [-0.72f, -0.36f, 0f, 0.36f, 0.72f] : [-0.6f, 0f, 0.6f];
                foreach (float p in positions)
                {
                    float facing = MathF.Sqrt(1f - (p * p));
                    float half = MathF.Max(drum * 0.08f * facing, 0.004f);
                    float x = cx + (p * drum);
                    float wTop = drumTop + (d.DrumHeight * 0.22f), wBottom = baseY - (d.DrumHeight * 0.25f);
                    PaintWindow(new ArchShape(x - half, x + half, wTop, wBottom, _b.Windows.Arched ? half : 0f), FaceFrame.Front,
                        x - half, x + half, wTop, wBottom, _light.On(p, 0f, facing));
                }
            }

            FillWall(new RectShape(cx - (r * 1.05f), drumTop - 0.005f, cx + (r * 1.05f), drumTop + 0.002f), FaceFrame.Front,
                SurfaceLight.Flat(_frontLight * 1.1f));
        }

        var shape = new DomeShape(cx, drumTop, r, d.Height, d.Profile);
        _canvas.Fill(shape, new DomeMaterial(shape, d.Color, d.Metallic, d.Ribs, _light), (byte)SceneLabel.Dome);
        float tip = drumTop - d.Height;
        Rgb finial = new Rgb(0.78f, 0.64f, 0.3f) * _frontLight;
        if (d.Lantern)
        {
            float lw = r * 0.2f, lh = r * 0.3f;
            float lanternTop = tip - lh + (r * 0.04f);
            _canvas.Fill(new RectShape(cx - (lw * 0.5f), lanternTop, cx + (lw * 0.5f), tip + (r * 0.06f)),
                new FlatMaterial(d.Color * _frontLight * 0.8f, 0.05f, 200f), (byte)SceneLabel.Dome);
            var cap = new DomeShape(cx, lanternTop, lw * 0.7f, lw * 0.8f, DomeProfile.Hemisphere);
            _canvas.Fill(cap, new DomeMaterial(cap, d.Color, d.Metallic, 0, _light), (byte)SceneLabel.Dome);
            tip = lanternTop - (lw * 0.8f);
        }

        float fw = MathF.Max(0.0025f, r * 0.03f);
        _canvas.Fill(new RectShape(cx - fw, tip - (r * 0.18f), cx + fw, tip + 0.002f), new FlatMaterial(finial, 0f, 1f), (byte)SceneLabel.Dome);
    }

    private void PaintFrontFace()
    {
        if (_b.Roof == RoofStyle.Gable)
        {
            FillWall(new ConvexPolygon(new Vec2(_left, _base), new Vec2(_right, _base), new Vec2(_right, _top), Apex, new Vec2(_left, _top)),
                FaceFrame.Front, SurfaceLight.Flat(_frontLight));
        }
        else
        {
            FillWall(new RectShape(_left, _top, _right, _base), FaceFrame.Front, SurfaceLight.Flat(_frontLight));
        }
    }

    /// <summary>The roof's edges along the gable: the near slope merges with the side roof, the far one is a thin rim.</summary>
    private void PaintGableTrims()
    {
        Vec2 apex = Apex;
        float thickness = MathF.Max(0.008f, _b.Width * 0.035f);
        var up = new Vec2(0f, -thickness);
        var down = new Vec2(0f, thickness * 0.35f);
        foreach (float direction in (ReadOnlySpan<float>)[-1f, 1f])
        {
            Vec2 corner = Vec2.Lerp(apex, new Vec2(direction < 0f ? _left : _right, _top), 1.08f);
            Rgb lit = SlopeLight(direction);
            FillRoof(new ConvexPolygon(apex + up, corner + up, corner + down, apex + down), FaceFrame.Front, _b.RoofRowHeight, lit, lit, -10f);
        }
    }

    private void PaintRoseWindow()
    {
        if (!_b.Windows.Rose || _b.RoofHeight < 0.03f || _b.Tower?.Placement == TowerPlacement.Center)
        {
            return;
        }

        float r = MathF.Min(_b.RoofHeight * 0.26f, _b.Width * 0.13f);
        float cy = _top - (_b.RoofHeight * 0.36f);
        PaintWindow(new EllipseShape(_b.X, cy, r, r), FaceFrame.Front, _b.X - r, _b.X + r, cy - r, cy + r, _frontLight);
    }

    private void PaintHippedRoof()
    {
        float rise = _b.RoofHeight, w = _b.Width;
        float overhang = w * 0.03f;
        float inset = MathF.Min(rise * 0.9f, w * 0.4f);
        float eaveY = _top + 0.004f;
        float shift = _b.SideWidth * 0.5f;
        var ridgeLeft = new Vec2(_left + inset - (_side < 0 ? shift : 0f), _top - rise);
        var ridgeRight = new Vec2(_right - inset + (_side > 0 ? shift : 0f), _top - rise);
        if (_side != 0)
        {
            Vec2 back = Back(new Vec2(_edgeX, _top), _backFraction);
            Rgb hipLight = _light.On(_side * 0.75f, 0.66f, 0f);
            FillRoof(new ConvexPolygon(new Vec2(_edgeX + (_side * overhang), eaveY), new Vec2(back.X + (_side * overhang * 0.5f), back.Y),
                _side > 0 ? ridgeRight : ridgeLeft), FaceFrame.Front, _b.RoofRowHeight, hipLight, hipLight, -10f);
        }

        Rgb frontRoof = _light.On(0f, 0.75f, 0.66f);
        FillRoof(new ConvexPolygon(new Vec2(_left - overhang, eaveY), new Vec2(_right + overhang, eaveY), ridgeRight, ridgeLeft),
            FaceFrame.Front, _b.RoofRowHeight, frontRoof, frontRoof, -10f);

        if (_b.Chimney)
        {
            float cw = MathF.Max(w * 0.06f, 0.012f);
            float cx = _b.X + (w * ((_b.Masonry.Salt & 1) == 0 ? 0.22f : -0.22f));
            FillWall(new RectShape(cx - (cw * 0.5f), _top - (rise * 1.1f), cx + (cw * 0.5f), _top - (rise * 0.4f)), FaceFrame.Front,
                SurfaceLight.Flat(_frontLight));
        }
    }

    private void PaintCornice()
    {
        float height = MathF.Max(0.008f, _b.WallHeight * 0.06f);
        FillWall(new RectShape(_left - 0.006f, _top - height, _right + 0.006f, _top + (height * 0.4f)), FaceFrame.Front,
            SurfaceLight.Flat(_frontLight * 1.12f));
        if (_side != 0)
        {
            var a = new Vec2(_edgeX, _top - height);
            var c = new Vec2(_edgeX, _top + (height * 0.4f));
            FillWall(new ConvexPolygon(a, c, Back(c, _backFraction), Back(a, _backFraction)), _sideFrame, SurfaceLight.Flat(_sideLight * 1.1f));
        }
    }

    private void PaintFrontWindows()
    {
        float w = _b.Width, h = _b.WallHeight;
        float doorTop = _b.Door is { } door ? _base - door.Height : _base;
        bool twinTowers = _b.SecondTower is not null;
        TowerPlan? center = _b.Tower?.Placement == TowerPlacement.Center ? _b.Tower : null;
        switch (_b.Roof)
        {
            case RoofStyle.Gable:
            {
                if (w < 0.12f)
                {
                    return;
                }

                float half = MathF.Max(w * 0.05f, 0.008f);
                float top = _top + (h * 0.14f), bottom = MathF.Min(_top + (h * 0.58f), _base - 0.02f);
                foreach (float rel in (ReadOnlySpan<float>)[-0.3f, 0.3f])
                {
                    float x = _b.X + (rel * w);
                    if (center is null || MathF.Abs(x - _b.X) > (center.Width * 0.5f) + half)
                    {
                        FrontWindow(x, half, top, bottom);
                    }
                }

                break;
            }

            case RoofStyle.Flat:
            {
                float half = MathF.Max(w * 0.045f, 0.008f);
                float spread = twinTowers ? 0.2f : 0.32f;
                float upperTop = _top + (h * 0.14f), upperBottom = _top + (h * 0.42f);
                FrontWindow(_b.X - (spread * w), half, upperTop, upperBottom);
                FrontWindow(_b.X + (spread * w), half, upperTop, upperBottom);
                if (upperBottom < doorTop - 0.015f)
                {
                    FrontWindow(_b.X, half, upperTop, upperBottom);
                }

                float lowerTop = _top + (h * 0.54f), lowerBottom = _top + (h * 0.86f);
                if (!twinTowers)
                {
                    FrontWindow(_b.X - (spread * w), half, lowerTop, lowerBottom);
                    FrontWindow(_b.X + (spread * w), half, lowerTop, lowerBottom);
                }

                break;
            }

            default:
            {
                int rows = h > 0.085f ? 2 : 1;
                int columns = Math.Max(2, (int)(w / 0.075f));
                float half = MathF.Max(w * 0.042f, 0.008f);
                float height = half * 2.7f;
                for (int row = 0; row < rows; row++)
                {
                    float top = _top + (h * (rows == 1 ? 0.3f : row == 0 ? 0.14f : 0.58f));
                    for (int c = 0; c < columns; c++)
                    {
                        float x = _left + (w * (c + 0.5f) / columns);
                        bool besideDoor = _b.Door is { } d && MathF.Abs(x - d.CenterX) < (d.Width * 0.5f) + half + 0.004f && top + height > doorTop;
                        if (!besideDoor)
                        {
                            FrontWindow(x, half, top, top + height);
                        }
                    }
                }

                break;
            }
        }
    }

    private void FrontWindow(float x, float half, float top, float bottom) =>
        PaintWindow(new ArchShape(x - half, x + half, top, bottom, _b.Windows.Arched ? half : 0f), FaceFrame.Front,
            x - half, x + half, top, bottom, _frontLight);

    private void PaintWindow<TShape>(in TShape shape, FaceFrame frame, float left, float right, float top, float bottom, Rgb wallLight)
        where TShape : struct, IShape
    {
        WindowPlan w = _b.Windows;
        bool mullions = right - left > 0.028f;
        if (frame.IsFront)
        {
            _canvas.Fill(shape, new WindowMaterial(frame, w.Glass, w.Lit, left, right, top, bottom, mullions, wallLight), (byte)SceneLabel.Window);
        }
        else
        {
            _canvas.Fill(new FramedShape<TShape>(shape, frame), new WindowMaterial(frame, w.Glass, w.Lit, left, right, top, bottom, mullions, wallLight),
                (byte)SceneLabel.Window);
        }
    }

    private void PaintDoor(DoorPlan d, float bottom, Rgb wallLight)
    {
        float half = d.Width * 0.5f;
        float left = d.CenterX - half, right = d.CenterX + half, top = bottom - d.Height;

        // A recessed reveal in shadow around the door makes it read as an opening rather than a painted patch.
        float reveal = MathF.Max(0.004f, d.Width * 0.12f);
        FillWall(new ArchShape(left - reveal, right + reveal, top - reveal, bottom, d.Arched ? half + reveal : 0f), FaceFrame.Front,
            SurfaceLight.Flat(wallLight * 0.55f));
        _canvas.Fill(new ArchShape(left, right, top, bottom, d.Arched ? half : 0f),
            new DoorMaterial(FaceFrame.Front, d.Color, left, right, top, bottom, d.Planks, wallLight), (byte)SceneLabel.Door);
    }

    private void PaintTower(TowerPlan t)
    {
        float tw = t.Width;
        float baseY = _base + 0.004f;
        float cx = t.Placement switch
        {
            TowerPlacement.Left => _left + (tw * 0.35f),
            TowerPlacement.Right => _right - (tw * 0.35f),
            _ => _b.X,
        };
        float shaftTop = baseY - t.ShaftHeight;
        float left = cx - (tw * 0.5f), right = cx + (tw * 0.5f);

        // The tower's own side face shows when it is on the building's visible side or stands in front of the middle.
        float depthShift = 0f;
        bool sideVisible = _side != 0 && (t.Placement == TowerPlacement.Center
            || (t.Placement == TowerPlacement.Right && _side > 0) || (t.Placement == TowerPlacement.Left && _side < 0));
        float edge = _side > 0 ? right : left;
        float scale = MathF.Abs(_vanishing.X - edge);
        float fraction = MathF.Min(_b.SideWidth * 0.6f, tw * 0.7f) / scale;
        if (sideVisible)
        {
            var frontTop = new Vec2(edge, shaftTop);
            var frontBottom = new Vec2(edge, baseY);
            Vec2 backTop = Back(frontTop, fraction);
            depthShift = backTop.X - edge;
            var frame = new FaceFrame(frontTop, frontBottom, _vanishing, scale, edge, _side, shaftTop);
            FillWall(new ConvexPolygon(frontTop, frontBottom, Back(frontBottom, fraction), backTop), frame, SurfaceLight.Flat(_sideLight));
        }

        FillWall(new RectShape(left, shaftTop, right, baseY), FaceFrame.Front, SurfaceLight.Flat(_frontLight));

        if (t.ShaftHeight > tw * 1.2f)
        {
            float opening = tw * (t.BelfryOpenings == 1 ? 0.15f : 0.1f);
            float top = shaftTop + (tw * 0.25f);
            float bottom = top + MathF.Max(opening * 4.6f, 0.012f);
            FillWall(new RectShape(left - 0.003f, top - (tw * 0.12f) - 0.004f, right + 0.003f, top - (tw * 0.12f)), FaceFrame.Front,
                SurfaceLight.Flat(_frontLight * 1.12f));
            ReadOnlySpan<float> xs = t.BelfryOpenings == 1 ? [cx] : [cx - (tw * 0.2f), cx + (tw * 0.2f)];
            foreach (float x in xs)
            {
                _canvas.Fill(new ArchShape(x - opening, x + opening, top, bottom, opening),
                    new WindowMaterial(FaceFrame.Front, new Rgb(0.05f, 0.05f, 0.06f), false, x - opening, x + opening, top, bottom, false, _frontLight),
                    (byte)SceneLabel.Window);
            }
        }

        float crownX = cx + (depthShift * 0.5f);
        switch (t.Top)
        {
            case TowerTop.Spire or TowerTop.Pyramid:
            {
                FillWall(new RectShape(left - (tw * 0.06f), shaftTop - 0.005f, right + (tw * 0.06f), shaftTop + 0.002f), FaceFrame.Front,
                    SurfaceLight.Flat(_frontLight * 1.1f));
                var apex = new Vec2(crownX, shaftTop - t.TopHeight);
                float eave = tw * 0.04f;
                if (depthShift != 0f)
                {
                    float sideX = _side > 0 ? right + eave : left - eave;
                    Rgb sideLit = _light.On(_side * 0.9f, 0.3f, -0.2f);
                    FillRoof(new ConvexPolygon(new Vec2(sideX, shaftTop), new Vec2(edge + depthShift + (_side * eave), Back(new Vec2(edge, shaftTop), fraction).Y), apex),
                        FaceFrame.Front, _b.RoofRowHeight * 0.7f, sideLit, sideLit, -10f);
                }

                FillRoof(new ConvexPolygon(new Vec2(left - eave, shaftTop), new Vec2(right + eave, shaftTop), apex), FaceFrame.Front,
                    _b.RoofRowHeight * 0.7f, _light.On(-0.85f, 0.25f, 0.45f), _light.On(0.85f, 0.25f, 0.45f), apex.X);
                break;
            }

            case TowerTop.Onion or TowerTop.Dome:
                PaintDome(t.Dome!, crownX, shaftTop + 0.002f);
                break;

            default:
            {
                const int Merlons = 4;
                float unit = tw / ((2 * Merlons) - 1);
                for (int j = 0; j < Merlons; j++)
                {
                    float x0 = left + (2 * j * unit);
                    FillWall(new RectShape(x0, shaftTop - t.TopHeight, x0 + unit, shaftTop + 0.001f), FaceFrame.Front, SurfaceLight.Flat(_frontLight));
                }

                break;
            }
        }

        if (_b.Door is { } door && t.Placement == TowerPlacement.Center)
        {
            PaintDoor(door, baseY, _frontLight);
        }
    }

    private void PaintRotunda()
    {
        float w = _b.Width, h = _b.WallHeight;
        SurfaceLight drum = SurfaceLight.Cylinder(_light, _b.X, w * 0.5f);
        FillWall(new RectShape(_left, _top, _right, _base), FaceFrame.Front, drum);
        if (w > 0.14f)
        {
            float half = MathF.Max(w * 0.04f, 0.008f);
            float top = _top + (h * 0.18f), bottom = _top + (h * 0.55f);
            foreach (float rel in (ReadOnlySpan<float>)[-0.3f, 0.3f])
            {
                float x = _b.X + (rel * w);
                float nx = rel * 2f;
                PaintWindow(new ArchShape(x - half, x + half, top, bottom, _b.Windows.Arched ? half : 0f), FaceFrame.Front,
                    x - half, x + half, top, bottom, _light.On(nx, 0f, MathF.Sqrt(1f - (nx * nx))));
            }
        }

        if (_b.Door is { } door)
        {
            PaintDoor(door, _base, _frontLight);
        }

        float cornice = MathF.Max(0.008f, h * 0.06f);
        FillWall(new RectShape(_left - 0.006f, _top - cornice, _right + 0.006f, _top + (cornice * 0.4f)), FaceFrame.Front,
            SurfaceLight.Cylinder(_light, _b.X, (w * 0.5f) + 0.006f));
        if (_b.Dome is { } dome)
        {
            PaintDome(dome, _b.X, _top - cornice);
        }
    }
}
