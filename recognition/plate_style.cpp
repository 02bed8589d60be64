#include "recognition/plate_style.h"

#include <stdexcept>

namespace alprsim::recognition {
namespace {

PlateStyle makeStyle(std::string name, cv::Scalar bg, cv::Scalar bgLower, cv::Scalar chars, cv::Scalar header,
                     std::string headerText, cv::Scalar slogan, std::string sloganText, Typeface face) {
    PlateStyle s;
    s.name = std::move(name);
    s.background = bg;
    s.backgroundLower = bgLower;
    s.characters = chars;
    s.headerColor = header;
    s.header = std::move(headerText);
    s.sloganColor = slogan;
    s.slogan = std::move(sloganText);
    s.typeface = face;
    return s;
}

}  // namespace

cv::Scalar randomColor(Rng& rng, double lo, double hi) {
    return cv::Scalar(rng.uniform(lo, hi), rng.uniform(lo, hi), rng.uniform(lo, hi));
}

const PlateStyle& massachusettsStyle() {
    static const PlateStyle style = [] {
        PlateStyle s = makeStyle("MA", {245, 245, 245}, {238, 238, 240}, {45, 35, 200}, {170, 60, 20}, "Massachusetts",
                                 {170, 60, 20}, "The Spirit of America", Typeface::PlateGothic);
        s.headerSerifItalic = true;
        s.sloganSerifItalic = true;
        return s;
    }();
    return style;
}

const std::vector<PlateStyle>& otherStateStyles() {
    static const std::vector<PlateStyle> styles = [] {
        std::vector<PlateStyle> v;
        v.push_back(makeStyle("NY", {60, 200, 245}, {40, 160, 235}, {90, 40, 10}, {90, 40, 10}, "NEW YORK", {90, 40, 10},
                              "EXCELSIOR", Typeface::DejaVuCondensedBold));
        // California's face: the dies' gothic (Penitentiary Gothic replicates it).
        v.push_back(makeStyle("CA", {250, 250, 250}, {245, 245, 245}, {110, 40, 20}, {40, 40, 200}, "California", {110, 40, 20},
                              "dmv.ca.gov", Typeface::PlateDieGothic));
        v.back().headerSerifItalic = true;
        v.push_back(makeStyle("NH", {235, 240, 240}, {200, 215, 215}, {60, 90, 20}, {60, 90, 20}, "NEW HAMPSHIRE", {60, 90, 20},
                              "LIVE FREE OR DIE", Typeface::HersheySimplex));
        v.push_back(makeStyle("CT", {230, 200, 160}, {250, 245, 240}, {100, 40, 10}, {100, 40, 10}, "CONNECTICUT", {100, 40, 10},
                              "CONSTITUTION STATE", Typeface::DejaVuSansBold));
        v.push_back(makeStyle("VT", {40, 100, 30}, {40, 100, 30}, {235, 240, 240}, {235, 240, 240}, "VERMONT", {235, 240, 240},
                              "GREEN MOUNTAIN STATE", Typeface::HersheyDuplex));
        v.push_back(makeStyle("RI", {250, 250, 250}, {210, 170, 120}, {100, 45, 15}, {100, 45, 15}, "RHODE ISLAND", {100, 45, 15},
                              "OCEAN STATE", Typeface::DejaVuMonoBold));
        v.push_back(makeStyle("TX", {245, 245, 245}, {225, 225, 225}, {20, 20, 20}, {20, 20, 20}, "TEXAS", {20, 20, 20},
                              "THE LONE STAR STATE", Typeface::RobotoCondensedBold));
        // Pennsylvania's face: the dies' gothic, as Keystone State replicates it.
        PlateStyle pa = makeStyle("PA", {250, 250, 250}, {250, 250, 250}, {100, 40, 10}, {250, 250, 250}, "PENNSYLVANIA",
                                  {100, 40, 10}, "visitPA.com", Typeface::PlateDieGothicBold);
        pa.banner = true;
        pa.bannerColor = {120, 50, 10};
        v.push_back(pa);
        return v;
    }();
    return styles;
}

namespace {

// A Massachusetts specialty plate: "Massachusetts" above in the characters' colour, the
// design's line below, an emblem beside the characters and, if `scenery`, a picture behind them.
PlateStyle massachusettsSpecialty(std::string name, cv::Scalar bg, cv::Scalar bgLower, cv::Scalar ink, std::string slogan,
                                  double scenery) {
    PlateStyle s =
        makeStyle(std::move(name), bg, bgLower, ink, ink, "Massachusetts", ink, std::move(slogan), Typeface::PlateGothic);
    s.headerSerifItalic = true;
    s.sideGraphic = true;
    s.scenery = scenery;
    return s;
}

// The fleet's designs beyond otherStateStyles (which randomTrainingStyle draws from: a style
// added there would change the training data).
std::vector<PlateStyle> fleetOnlyStyles() {
    std::vector<PlateStyle> v;
    // Massachusetts 250 (2025-): white characters on dark blue, a "1776" insignia among 13 stars
    // (CBS Boston, 5 Nov 2025): the only light-on-dark plate of the fleet.
    v.push_back(massachusettsSpecialty("MA-250", {105, 45, 20}, {95, 40, 18}, {245, 245, 245}, "250 Years of Independence", 0));
    // Cape Cod & Islands: a coastal picture (sky, dunes, a lighthouse) behind dark blue characters.
    v.push_back(massachusettsSpecialty("MA-cape-and-islands", {240, 225, 200}, {190, 215, 235}, {110, 50, 20},
                                       "Cape Cod & Islands", 0.45));
    // The right whale plate: a pale sea with a whale's tail beside dark blue characters.
    v.push_back(massachusettsSpecialty("MA-right-whale", {245, 240, 235}, {225, 205, 170}, {100, 45, 15}, "Right Whale", 0.3));
    PlateStyle me = makeStyle("ME", {245, 245, 245}, {235, 240, 240}, {40, 30, 20}, {40, 30, 20}, "MAINE", {40, 30, 20},
                              "VACATIONLAND", Typeface::RoadgeekSeriesC);
    me.sideGraphic = true;  // the chickadee and pine cone
    v.push_back(me);
    v.push_back(makeStyle("NJ", {150, 215, 235}, {140, 205, 230}, {20, 20, 20}, {20, 20, 20}, "NEW JERSEY", {20, 20, 20},
                          "Garden State", Typeface::PlateDieGothic));
    PlateStyle fl = makeStyle("FL", {250, 250, 250}, {240, 245, 245}, {40, 90, 20}, {40, 90, 20}, "MYFLORIDA.COM", {40, 90, 20},
                              "SUNSHINE STATE", Typeface::RoadgeekSeriesC);
    fl.sideGraphic = true;  // the orange
    v.push_back(fl);
    return v;
}

}  // namespace

const PlateStyle& fleetPlateStyle(std::string_view design) {
    if (design == massachusettsStyle().name) return massachusettsStyle();
    static const std::vector<PlateStyle> own = fleetOnlyStyles();
    for (const std::vector<PlateStyle>* styles : {&own, &otherStateStyles()})
        for (const PlateStyle& s : *styles)
            if (s.name == design) return s;
    throw std::invalid_argument("no plate style for the design '" + std::string(design) + "'");
}

PlateStyle randomDevStyle(Rng& rng) {
    PlateStyle s = randomTrainingStyle(rng);
    const auto& faces = devTypefaces();
    const size_t k = rng.below(faces.size());
    s.typeface = faces[k];
    s.name = "dev" + std::to_string(k);
    return s;
}

PlateStyle randomTrainingStyle(Rng& rng) {
    // Massachusetts plates are what the simulated cameras mostly see: a third as issued.
    if (rng.uniform() < 0.33) return massachusettsStyle();
    PlateStyle s = rng.uniform() < 0.3 ? massachusettsStyle() : otherStateStyles()[rng.below(otherStateStyles().size())];
    s.name = "training";
    const bool darkOnLight = rng.uniform() < 0.85;
    const cv::Scalar light = randomColor(rng, 150, 255), dark = randomColor(rng, 0, 110);
    s.background = darkOnLight ? light : dark;
    s.backgroundLower =
        rng.uniform() < 0.5 ? s.background : (darkOnLight ? randomColor(rng, 150, 255) : randomColor(rng, 0, 110));
    s.characters = darkOnLight ? dark : light;
    s.headerColor = randomColor(rng, 0, 255);
    s.sloganColor = randomColor(rng, 0, 255);
    const auto& faces = allTypefaces();
    // A third of the plates in the code-drawn plate gothic: the face most US plates resemble.
    if (rng.uniform() < 0.33)
        s.typeface = rng.uniform() < 0.5 ? Typeface::DrawnGothic : Typeface::DrawnGothicBold;
    else
        s.typeface = faces[rng.below(faces.size())];
    s.charHeight = rng.uniform(0.38, 0.55);
    s.charWidth = rng.uniform(0.32, 0.6);
    s.gap = rng.uniform(0.08, 0.22);
    s.stroke = rng.uniform(-2.5, 3.5);
    s.banner = rng.uniform() < 0.2;
    s.sideGraphic = rng.uniform() < 0.3;
    s.bannerColor = randomColor(rng, 0, 255);
    return s;
}

}  // namespace alprsim::recognition
