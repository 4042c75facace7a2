# SPDX-License-Identifier: GPL-3.0-or-later
# Build the web app's static files into the tool (no CDN, nothing on disk at
# run time): cmake -DDIR=src/web -DOUT=web_assets.c -P embed_assets.cmake
set(ASSETS "index.html|/|text/html"
           "app.js|/app.js|text/javascript"
           "app.css|/app.css|text/css")
set(C "/* Generated from ${DIR}; do not edit. */\n#include \"web_assets.h\"\n")
set(TABLE "")
set(I 0)
foreach(A ${ASSETS})
  string(REPLACE "|" ";" F "${A}")
  list(GET F 0 NAME)
  list(GET F 1 URL)
  list(GET F 2 TYPE)
  file(READ ${DIR}/${NAME} HEX HEX)
  string(LENGTH "${HEX}" N)
  math(EXPR BYTES "${N} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," BODY "${HEX}")
  string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" BODY "${BODY}")
  string(APPEND C "static const char a${I}[] = {\n${BODY}0x00};\n")
  string(APPEND TABLE "  {\"${URL}\", \"${TYPE}\", a${I}, ${BYTES}},\n")
  math(EXPR I "${I} + 1")
endforeach()
string(APPEND C "const web_asset web_assets[] = {\n${TABLE}};\nconst size_t web_asset_count = ${I};\n")
file(WRITE ${OUT} "${C}")
