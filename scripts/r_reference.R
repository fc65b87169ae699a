# Regenerate the R `survey` reference fixtures used by tests/test_weight.py, tests/test_survey.py,
# tests/test_banner.py and tests/test_from_respondents.py.
#
# Usage (from the repository root; needs R with the `survey` package, e.g. Debian's
# r-base-core + r-cran-survey; `make r-fixtures` runs this):
#
#     Rscript scripts/r_reference.R [outdir]
#
# Writes CSV/JSON files into tests/fixtures/r_survey/ (or outdir) at full precision
# (sprintf("%.17g")), including the input data it used (R's own data(api) example data, and
# the SYNTHETIC cleaned respondents of data/processed/respondents_<wave>.csv, reduced to the
# columns used), plus the R and survey versions. Tests never need R: they read the committed
# fixtures. The synthetic part reads its weighting targets from
# tests/fixtures/r_survey/synthetic_targets.csv (the targets-file format of
# analysis.weighting.targets), the file the Python tests read too.
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

# Estimates after calibration (point estimates; the calibrated SEs are in api_calibrated.csv).
est <- function(d) coef(svymean(~api00, d))[[1]]
write_fixture(data.frame(design = c("clus1_rake", "clus1_post_stype", "clus1_post_cross",
                                    "strat_rake"),
                         estimate = c(est(r_clus), est(ps_clus), est(ps_cross), est(r_strat))),
              "calibrated_means.csv")

# ---- calibration-aware variance on data(api): rake() and postStratify() designs ------------
# svymean SE with deff = TRUE and deff = "replace"; svyciprop beta / logit on the whole sample
# and on subset() domains (R keeps every row of a calibrated design when subsetting, so its
# Korn-Graubard factor uses nrow = the whole sample: analysis.stats.design.SurveyDesign.nrow).
cal_designs <- list(clus1_rake = r_clus, clus1_post_stype = ps_clus, clus1_post_cross = ps_cross,
                    strat_rake = r_strat)
rows <- list()
for (dn in names(cal_designs)) {
  d <- cal_designs[[dn]]
  for (dom in c("all", "E", "H", "M")) {
    dd <- if (dom == "all") d else d[d$variables$stype == dom, ]
    for (v in c("api00", "awards_yes", "hi800")) {
      f <- as.formula(paste0("~", v))
      m_rep <- svymean(f, dd, deff = "replace")
      m_pop <- svymean(f, dd, deff = TRUE)
      ci <- list(beta = c(NA, NA), logit = c(NA, NA))
      if (v != "api00" && coef(m_rep)[[1]] > 0 && coef(m_rep)[[1]] < 1) {
        for (meth in c("beta", "logit")) {
          ci[[meth]] <- as.vector(attr(suppressWarnings(svyciprop(  # glm: zero-weight rows
            as.formula(paste0("~I(", v, " == 1)")), dd, method = meth)), "ci"))
        }
      }
      rows[[length(rows) + 1]] <- data.frame(
        design = dn, domain = dom, variable = v, estimate = coef(m_rep)[[1]],
        se = SE(m_rep)[[1]], deff_replace = deff(m_rep)[[1]], deff_true = deff(m_pop)[[1]],
        beta_low = ci$beta[1], beta_high = ci$beta[2], logit_low = ci$logit[1],
        logit_high = ci$logit[2], nrow = nrow(dd), degf = degf(dd))
    }
  }
}
write_fixture(do.call(rbind, rows), "api_calibrated.csv")

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


# =============================================================================================
# SYNTHETIC cleaned respondents (data/processed/respondents_<wave>.csv from `make all`):
# raked / post-stratified designs, every item by sector, dependent comparisons, year on year.
# =============================================================================================
processed <- file.path("data", "processed")
committed <- file.path("tests", "fixtures", "r_survey")
tfile <- file.path(committed, "synthetic_targets.csv")  # an input: the same file Python reads
read_input <- function(wave) {
  src <- file.path(processed, sprintf("respondents_%d.csv", wave))
  out <- file.path(outdir, sprintf("synthetic_respondents_%d.csv", wave))
  if (!file.exists(src)) src <- file.path(committed, basename(out))  # no build: reuse inputs
  d <- read.csv(src, check.names = FALSE, stringsAsFactors = FALSE, na.strings = "")
  # no respondent ids: not needed, and tests/test_clean.py keeps respondent-level files out
  keep <- c("wave", "sector", "distribution_channel", grep("__top$", names(d), value = TRUE))
  write.csv(d[, keep], out, row.names = FALSE, na = "")
  read.csv(out, check.names = FALSE, stringsAsFactors = FALSE, na.strings = "")
}
d24 <- read_input(2024)
d25 <- read_input(2025)
# Respondents outside the sector targets, for the sample_share policy: every 23rd respondent
# answers "other", every 31st (not already "other") leaves sector blank.
d25o <- d25
idx <- seq_len(nrow(d25o))
d25o$sector[idx %% 23 == 0] <- "other"
d25o$sector[idx %% 31 == 0 & idx %% 23 != 0] <- NA
write.csv(d25o, file.path(outdir, "synthetic_respondents_2025_outside.csv"), row.names = FALSE,
          na = "")

items_of <- function(d) sub("__top$", "", grep("__top$", names(d), value = TRUE))
prep_items <- function(d) {
  for (it in items_of(d)) {
    y <- d[[paste0(it, "__top")]]
    d[[paste0(it, "__y0")]] <- ifelse(is.na(y), 0, y)
  }
  d$one <- 1
  d
}
read_targets <- function(scheme, wave = NULL) {
  t <- read.csv(tfile, colClasses = "character", na.strings = character(0))
  t <- t[t$scheme == scheme, ]
  use <- if (!is.null(wave) && any(t$wave == as.character(wave))) as.character(wave) else ""
  t <- t[t$wave == use, ]
  t$value <- sapply(t$target, function(x) eval(parse(text = x)))
  t
}
# Population data frame of one margin for rake()/postStratify(): proportions scaled to the
# sample size (the weights keep n), totals as given; `outside` adds the sample_share cell.
pop_margin <- function(t, var, n, outside_share = 0) {
  r <- t[t$variable == var, ]
  freq <- if (r$kind[1] == "proportion") r$value / sum(r$value) * n * (1 - outside_share)
          else r$value
  df <- data.frame(level = r$level, Freq = freq, stringsAsFactors = FALSE)
  if (outside_share > 0) {
    extra <- if (r$kind[1] == "proportion") outside_share * n
             else sum(r$value) * outside_share / (1 - outside_share)
    df <- rbind(df, data.frame(level = "(outside targets)", Freq = extra))
  }
  names(df)[1] <- var
  df
}
tight1 <- list(maxit = 1000, epsilon = 1e-15)
base_design <- function(d) svydesign(id = ~1, weights = ~one, data = d)

s24 <- prep_items(d24)
s25 <- prep_items(d25)
s25o <- prep_items(d25o)
t_eq25 <- read_targets("equal_sectors", 2025)
t_eq24 <- read_targets("equal_sectors", 2024)
t_tot <- read_targets("illustrative_totals")
t_two <- read_targets("two_margins")
t_ss <- read_targets("sample_share")
s25o$sector_cell <- ifelse(s25o$sector %in% t_ss$level, s25o$sector, "(outside targets)")
share_out <- mean(s25o$sector_cell == "(outside targets)")

synth <- list(
  rake_equal_2025 = list(wave = 2025, data = s25, design = rake(
    base_design(s25), list(~sector), list(pop_margin(t_eq25, "sector", nrow(s25))),
    control = tight1)),
  rake_equal_2024 = list(wave = 2024, data = s24, design = rake(
    base_design(s24), list(~sector), list(pop_margin(t_eq24, "sector", nrow(s24))),
    control = tight1)),
  post_totals_2025 = list(wave = 2025, data = s25, design = postStratify(
    base_design(s25), ~sector, pop_margin(t_tot, "sector", nrow(s25)))),
  rake_two_margins_2025 = list(wave = 2025, data = s25, design = rake(
    base_design(s25), list(~sector, ~distribution_channel),
    list(pop_margin(t_two, "sector", nrow(s25)),
         pop_margin(t_two, "distribution_channel", nrow(s25))), control = tight1)),
  rake_sample_share_2025 = list(wave = 2025, data = s25o, design = {
    pm <- pop_margin(t_ss, "sector", nrow(s25o), share_out)
    names(pm)[1] <- "sector_cell"
    rake(base_design(s25o), list(~sector_cell), list(pm), control = tight1)
  })
)
sector_groups <- function(d) {
  lev <- c("public", "private", "nfp", "edu")
  c("all", lev[lev %in% d$sector])
}
in_group <- function(d, g) if (g == "all") rep(TRUE, nrow(d)) else d$sector %in% g
ci_of <- function(f, dd, meth, lev) {
  out <- suppressWarnings(tryCatch(attr(svyciprop(f, dd, method = meth, level = lev), "ci"),
                                   error = function(e) c(NA, NA)))
  as.vector(out)
}

# ---- estimates: every item by sector --------------------------------------------------------
rows <- list()
for (dn in names(synth)) {
  s <- synth[[dn]]
  d <- s$design
  v <- d$variables
  for (it in items_of(s$data)) {
    has <- !is.na(v[[paste0(it, "__top")]])
    y0 <- paste0(it, "__y0")
    for (g in sector_groups(s$data)) {
      dd <- d[has & in_group(v, g), ]
      n <- sum(weights(dd) != 0)
      if (n == 0) next
      f <- as.formula(paste0("~", y0))
      m_rep <- svymean(f, dd, deff = "replace")
      m_pop <- suppressWarnings(svymean(f, dd, deff = TRUE))
      fp <- as.formula(paste0("~I(", y0, " == 1)"))
      b95 <- ci_of(fp, dd, "beta", 0.95)
      b90 <- ci_of(fp, dd, "beta", 0.90)
      l95 <- ci_of(fp, dd, "logit", 0.95)
      l90 <- ci_of(fp, dd, "logit", 0.90)
      rows[[length(rows) + 1]] <- data.frame(
        design = dn, wave = s$wave, item = it, group = g, n = n,
        n_weighted = sum(weights(dd)), degf = degf(dd), nrow = nrow(dd),
        estimate = coef(m_rep)[[1]], se = SE(m_rep)[[1]], deff_replace = deff(m_rep)[[1]],
        deff_true = deff(m_pop)[[1]], beta95_low = b95[1], beta95_high = b95[2],
        beta90_low = b90[1], beta90_high = b90[2], logit95_low = l95[1], logit95_high = l95[2],
        logit90_low = l90[1], logit90_high = l90[2])
    }
  }
}
write_fixture(do.call(rbind, rows), "synthetic_estimates.csv")

# ---- paired differences of two items (options of one question), same respondents ---------
questions <- function(d) {
  it <- items_of(d)
  q <- list(enablers = grep("^enabler_", it, value = TRUE),
            barriers = grep("^barrier_", it, value = TRUE),
            domains = grep("^domain_", it, value = TRUE),
            support = intersect(c("org_structured_development", "org_secondment",
                                  "networks_strong"), it))
  pairs <- do.call(rbind, lapply(q, function(o) if (length(o) > 1) t(combn(o, 2))))
  # two items that are not options of one question, with different bases
  rbind(pairs, c("belief_growth", "tangible_outcomes"), c("optimism", "comm_sufficient"),
        c("rating_good_excellent", "rating_excellent"))
}
rows <- list()
for (dn in c("rake_equal_2025", "rake_two_margins_2025")) {
  s <- synth[[dn]]
  d <- s$design
  v <- d$variables
  pr <- questions(s$data)
  for (k in seq_len(nrow(pr))) {
    a <- pr[k, 1]
    b <- pr[k, 2]
    both <- !is.na(v[[paste0(a, "__top")]]) & !is.na(v[[paste0(b, "__top")]])
    for (g in sector_groups(s$data)) {
      dd <- d[both & in_group(v, g), ]
      m <- svymean(as.formula(paste0("~", a, "__y0 + ", b, "__y0")), dd)
      ct <- svycontrast(m, c(1, -1))
      se <- SE(ct)[[1]]
      rows[[length(rows) + 1]] <- data.frame(
        design = dn, group = g, item_a = a, item_b = b, n = sum(weights(dd) != 0),
        estimate_a = coef(m)[[1]], estimate_b = coef(m)[[2]], diff = coef(ct)[[1]], se = se,
        degf = degf(dd), p_value = if (se > 0) 2 * pt(-abs(coef(ct)[[1]] / se), degf(dd))
                                   else NA)
    }
  }
}
write_fixture(do.call(rbind, rows), "synthetic_paired.csv")

# ---- a sector against all leaders (overlap), and sector vs sector ------------------------
# Both as svycontrast() of ratios of svymean() totals on the calibrated domain design (the
# delta method linearises a ratio exactly as a domain mean): svyby(covmat = TRUE) stops with
# "number of items to replace is not a multiple of replacement length" on a subset of a
# calibrated design in survey 4.1.1.
ratio_contrast <- function(d, keep, y0, ia, ib) {
  d$variables$ya <- d$variables[[y0]] * ia
  d$variables$ia <- ia
  d$variables$yb <- d$variables[[y0]] * ib
  d$variables$ib <- ib
  dd <- d[keep, ]
  m <- svymean(~ya + ia + yb + ib, dd)
  names(m) <- c("ya", "ia", "yb", "ib")
  ct <- svycontrast(m, quote(ya / ia - yb / ib))
  est <- coef(m)
  se <- SE(ct)[[1]]
  data.frame(estimate_a = est[["ya"]] / est[["ia"]], estimate_b = est[["yb"]] / est[["ib"]],
             diff = coef(ct)[[1]], se = se, degf = degf(dd),
             p_value = if (se > 0) 2 * pt(-abs(coef(ct)[[1]] / se), degf(dd)) else NA)
}
rows_vt <- list()
rows_bg <- list()
for (dn in c("rake_equal_2025", "rake_two_margins_2025", "rake_sample_share_2025",
             "rake_equal_2024")) {
  s <- synth[[dn]]
  d <- s$design
  v <- d$variables
  groups <- setdiff(sector_groups(s$data), "all")
  for (it in items_of(s$data)) {
    has <- !is.na(v[[paste0(it, "__top")]])
    y0 <- paste0(it, "__y0")
    everyone <- rep(1, nrow(v))
    for (g in groups) {
      r <- ratio_contrast(d, has, y0, as.numeric(v$sector %in% g), everyone)
      rows_vt[[length(rows_vt) + 1]] <- cbind(data.frame(design = dn, item = it, group = g), r)
    }
    for (k in seq_len(length(groups) - 1)) {
      for (l in (k + 1):length(groups)) {
        r <- ratio_contrast(d, has, y0, as.numeric(v$sector %in% groups[k]),
                            as.numeric(v$sector %in% groups[l]))
        rows_bg[[length(rows_bg) + 1]] <- cbind(
          data.frame(design = dn, item = it, group_a = groups[k], group_b = groups[l]), r)
      }
    }
  }
}
write_fixture(do.call(rbind, rows_vt), "synthetic_vs_total.csv")
write_fixture(do.call(rbind, rows_bg), "synthetic_between_groups.csv")

# ---- year on year on the stacked waves: wave as strata, each wave to its own targets ------
common <- intersect(items_of(d24), items_of(d25))
cols <- c("wave", "sector", paste0(common, "__top"), paste0(common, "__y0"), "one")
st <- rbind(s24[, cols], s25[, cols])
pop <- rbind(
  cbind(wave = 2024, pop_margin(t_eq24, "sector", nrow(s24))),
  cbind(wave = 2025, pop_margin(t_eq25, "sector", nrow(s25))))
stacked <- postStratify(svydesign(id = ~1, strata = ~wave, weights = ~one, data = st),
                        ~wave + sector, pop)
rows <- list()
v <- stacked$variables
for (it in common) {
  has <- !is.na(v[[paste0(it, "__top")]])
  for (g in c("all", "public", "private", "nfp")) {
    grp <- in_group(v, g)
    r <- ratio_contrast(stacked, has & grp, paste0(it, "__y0"), as.numeric(v$wave == 2025),
                        as.numeric(v$wave == 2024))
    rows[[length(rows) + 1]] <- cbind(data.frame(item = it, group = g), r)
  }
}
write_fixture(do.call(rbind, rows), "synthetic_year_on_year.csv")

versions <- sprintf('{\n  "R": "%s",\n  "survey": "%s",\n  "generated_by": "scripts/r_reference.R"\n}\n',
                    R.version.string, as.character(packageVersion("survey")))
writeLines(versions, file.path(outdir, "versions.json"), sep = "")
cat("wrote fixtures to", outdir, "\n")
