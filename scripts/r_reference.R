# Regenerate the R `survey` reference fixtures used by tests/test_weight.py and tests/test_survey.py.
#
# Usage (from the repository root; needs R with the `survey` package, e.g. Debian's
# r-base-core + r-cran-survey):
#
#     Rscript scripts/r_reference.R [outdir]
#
# Writes CSV/JSON files into tests/fixtures/r_survey/ (or outdir) at full precision
# (sprintf("%.17g")), including the input data it used (R's own data(api) example data),
# plus the R and survey versions. Tests never need R: they read the committed fixtures.
suppressMessages(library(survey))

args <- commandArgs(trailingOnly = TRUE)
outdir <- if (length(args) >= 1) args[[1]] else file.path("tests", "fixtures", "r_survey")
dir.create(outdir, recursive = TRUE, showWarnings = FALSE)

data(api)
options(survey.lonely.psu = "fail")

num <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))

write_fixture <- function(df, name) {
  for (col in names(df)) {
    if (is.numeric(df[[col]])) df[[col]] <- num(df[[col]])
    if (is.factor(df[[col]])) df[[col]] <- as.character(df[[col]])
  }
  write.csv(df, file.path(outdir, name), row.names = FALSE, quote = TRUE, na = "")
}

prep <- function(d) {
  d$awards_yes <- as.numeric(d$awards == "Yes")
  d$schwide_yes <- as.numeric(d$sch.wide == "Yes")
  d$hi800 <- as.numeric(d$api00 > 800)
  d
}
keep <- c("snum", "dnum", "stype", "awards", "sch.wide", "api00", "api99", "enroll", "pw", "fpc",
          "awards_yes", "schwide_yes", "hi800")
strat <- prep(apistrat)[, keep]
clus1 <- prep(apiclus1)[, keep]
# A skewed weight for the trimming reference (apistrat's own pw takes only 3 values).
strat$w_skew <- strat$pw * strat$enroll / mean(strat$enroll)
write_fixture(strat, "apistrat.csv")
write_fixture(clus1, "apiclus1.csv")

designs <- list(
  strat = svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = strat),
  strat_wr = svydesign(id = ~1, strata = ~stype, weights = ~pw, data = strat),
  clus1 = svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = clus1),
  clus1_wr = svydesign(id = ~dnum, weights = ~pw, data = clus1)
)

# ---- svymean: numeric means and factor proportions --------------------------------------
rows <- list()
for (dn in names(designs)) {
  d <- designs[[dn]]
  for (v in c("api00", "enroll", "awards_yes", "hi800")) {
    m <- svymean(as.formula(paste0("~", v)), d)
    rows[[length(rows) + 1]] <- data.frame(design = dn, variable = v, category = "",
                                           estimate = coef(m)[[1]], se = SE(m)[[1]],
                                           degf = degf(d))
  }
  for (v in c("stype", "awards", "sch.wide")) {
    m <- svymean(as.formula(paste0("~", v)), d)
    lev <- levels(d$variables[[v]])
    rows[[length(rows) + 1]] <- data.frame(design = dn, variable = v, category = lev,
                                           estimate = as.vector(coef(m)),
                                           se = as.vector(SE(m)), degf = degf(d))
  }
}
write_fixture(do.call(rbind, rows), "svymean.csv")

# ---- domain means with svyby (full-design variance) --------------------------------------
rows <- list()
for (dn in names(designs)) {
  d <- designs[[dn]]
  for (v in c("api00", "awards_yes")) {
    b <- svyby(as.formula(paste0("~", v)), ~stype, d, svymean)
    rows[[length(rows) + 1]] <- data.frame(design = dn, variable = v, by = "stype",
                                           group = as.character(b$stype),
                                           estimate = coef(b), se = SE(b))
  }
}
write_fixture(do.call(rbind, rows), "svyby.csv")

# ---- differences of domain proportions (svyby covmat + svycontrast) ----------------------
rows <- list()
for (dn in names(designs)) {
  d <- designs[[dn]]
  b <- svyby(~awards_yes, ~stype, d, svymean, covmat = TRUE)
  for (pair in list(c("E", "H"), c("E", "M"), c("H", "M"))) {
    w <- setNames(rep(0, 3), c("E", "H", "M"))
    w[pair[1]] <- 1
    w[pair[2]] <- -1
    ct <- svycontrast(b, w)
    rows[[length(rows) + 1]] <- data.frame(design = dn, variable = "awards_yes", by = "stype",
                                           group1 = pair[1], group2 = pair[2],
                                           diff = coef(ct)[[1]], se = SE(ct)[[1]])
  }
}
write_fixture(do.call(rbind, rows), "domain_diff.csv")

# ---- svyciprop: logit (default), beta (Korn-Graubard), mean; whole sample and a domain -----
rows <- list()
for (dn in names(designs)) {
  d <- designs[[dn]]
  doms <- list(all = d, H = subset(d, stype == "H"), M = subset(d, stype == "M"))
  for (dom in names(doms)) {
    dd <- doms[[dom]]
    for (v in c("awards_yes", "hi800")) {
      for (meth in c("logit", "beta", "mean")) {
        for (lev in c(0.95, 0.9)) {
          f <- as.formula(paste0("~I(", v, " == 1)"))
          ci <- svyciprop(f, dd, method = meth, level = lev)
          rows[[length(rows) + 1]] <- data.frame(
            design = dn, domain = dom, variable = v, method = meth, level = lev,
            estimate = as.vector(ci)[[1]], ci_low = attr(ci, "ci")[[1]],
            ci_high = attr(ci, "ci")[[2]], degf = degf(dd), n = nrow(dd))
        }
      }
    }
  }
  # R's default method (logit), called without method=, to pin the default.
  ci <- svyciprop(~I(hi800 == 1), d)
  rows[[length(rows) + 1]] <- data.frame(
    design = dn, domain = "all", variable = "hi800", method = "default", level = 0.95,
    estimate = as.vector(ci)[[1]], ci_low = attr(ci, "ci")[[1]],
    ci_high = attr(ci, "ci")[[2]], degf = degf(d), n = nrow(d))
}
write_fixture(do.call(rbind, rows), "svyciprop.csv")

# ---- svychisq: Rao-Scott second-order F (default) and first-order Chisq -------------------
rows <- list()
for (dn in names(designs)) {
  d <- designs[[dn]]
  for (pair in list(c("stype", "awards"), c("stype", "sch.wide"), c("awards", "sch.wide"))) {
    f <- as.formula(paste0("~", pair[1], "+", pair[2]))
    for (st in c("F", "Chisq")) {
      t <- svychisq(f, d, statistic = st)
      par <- t$parameter
      rows[[length(rows) + 1]] <- data.frame(
        design = dn, row = pair[1], col = pair[2], statistic_type = st,
        statistic = unname(t$statistic),
        ndf = if (st == "F") unname(par[["ndf"]]) else unname(par[["df"]]),
        ddf = if (st == "F") unname(par[["ddf"]]) else NA,
        p_value = unname(t$p.value))
    }
  }
}
write_fixture(do.call(rbind, rows), "svychisq.csv")

# ---- raking, post-stratification, trimming -----------------------------------------------
pop_stype <- data.frame(stype = c("E", "H", "M"), Freq = as.vector(table(apipop$stype)))
pop_schwide <- data.frame(sch.wide = c("No", "Yes"), Freq = as.vector(table(apipop$sch.wide)))
pop_awards <- data.frame(awards = c("No", "Yes"), Freq = as.vector(table(apipop$awards)))
pop_cross <- as.data.frame(table(stype = apipop$stype, sch.wide = apipop$sch.wide))
margins <- rbind(
  data.frame(variable = "stype", level = pop_stype$stype, target = pop_stype$Freq),
  data.frame(variable = "sch.wide", level = pop_schwide$sch.wide, target = pop_schwide$Freq),
  data.frame(variable = "awards", level = pop_awards$awards, target = pop_awards$Freq)
)
write_fixture(margins, "population_margins.csv")
write_fixture(data.frame(stype = pop_cross$stype, sch.wide = pop_cross$sch.wide,
                         target = pop_cross$Freq), "population_cross.csv")

tight <- list(maxit = 1000, epsilon = 1e-15)  # epsilon < 1 is relative to the weight total
dclus1 <- designs$clus1
r_clus <- rake(dclus1, list(~stype, ~sch.wide), list(pop_stype, pop_schwide), control = tight)
r_clus_default <- rake(dclus1, list(~stype, ~sch.wide), list(pop_stype, pop_schwide))
ps_clus <- postStratify(dclus1, ~stype, pop_stype)
ps_cross <- postStratify(dclus1, ~stype + sch.wide, pop_cross)
# Bounded raking: calibrate(calfun = "raking", bounds = c(0.8, 1.6)); here sum(pw) equals the
# population total (6194), so R's g = w / pw is also analysis.weighting.rake's adjustment factor.
cal_tot <- c(`(Intercept)` = sum(pop_stype$Freq), stypeH = pop_stype$Freq[2],
             stypeM = pop_stype$Freq[3], sch.wideYes = pop_schwide$Freq[2])
r_bounded <- calibrate(dclus1, ~stype + sch.wide, cal_tot, calfun = "raking",
                       bounds = c(0.8, 1.6), maxit = 500, epsilon = 1e-12)
write_fixture(data.frame(snum = clus1$snum, w_base = weights(dclus1),
                         w_rake = weights(r_clus), w_rake_default = weights(r_clus_default),
                         w_post_stype = weights(ps_clus), w_post_cross = weights(ps_cross),
                         w_rake_bounded = weights(r_bounded)),
              "weights_clus1.csv")

dstrat <- designs$strat
r_strat <- rake(dstrat, list(~stype, ~sch.wide, ~awards), list(pop_stype, pop_schwide, pop_awards),
                control = tight)
dskew <- svydesign(id = ~1, weights = ~w_skew, data = strat)
up <- 60
lo <- 10
tr <- trimWeights(dskew, upper = up, lower = lo)
tr_strict <- trimWeights(dskew, upper = up, lower = lo, strict = TRUE)
write_fixture(data.frame(snum = strat$snum, w_base = weights(dstrat), w_rake = weights(r_strat),
                         w_skew = strat$w_skew, w_trim = weights(tr),
                         w_trim_strict = weights(tr_strict)),
              "weights_strat.csv")
write_fixture(data.frame(name = c("trim_upper", "trim_lower", "rake_epsilon", "rake_maxit"),
                         value = c(up, lo, tight$epsilon, tight$maxit)), "weight_params.csv")

# Estimates after calibration (point estimates only are compared; R's calibrated SEs are not
# reproduced by analysis.stats.design).
est <- function(d) coef(svymean(~api00, d))[[1]]
write_fixture(data.frame(design = c("clus1_rake", "clus1_post_stype", "clus1_post_cross",
                                    "strat_rake"),
                         estimate = c(est(r_clus), est(ps_clus), est(ps_cross), est(r_strat))),
              "calibrated_means.csv")

# ---- lonely PSU policies: apistrat with a single H school ---------------------------------
lonely_data <- strat[strat$stype != "H" | strat$snum == strat$snum[strat$stype == "H"][1], ]
rows <- list()
for (pol in c("remove", "certainty", "adjust", "average")) {
  options(survey.lonely.psu = pol)
  d <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = lonely_data)
  m <- svymean(~api00, d)
  rows[[length(rows) + 1]] <- data.frame(policy = pol, variable = "api00",
                                         estimate = coef(m)[[1]], se = SE(m)[[1]])
}
options(survey.lonely.psu = "fail")
write_fixture(do.call(rbind, rows), "lonely_psu.csv")
write_fixture(data.frame(snum = lonely_data$snum), "lonely_psu_snum.csv")

versions <- sprintf('{\n  "R": "%s",\n  "survey": "%s",\n  "generated_by": "scripts/r_reference.R"\n}\n',
                    R.version.string, as.character(packageVersion("survey")))
writeLines(versions, file.path(outdir, "versions.json"), sep = "")
cat("wrote fixtures to", outdir, "\n")
