package dev.wavoice.ops;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Pattern;

/**
 * {@code GET /docs/<page>.md}: the project's docs, shipped in the WAR, as UTF-8 plain text — the pages
 * the console and the start-up summary point a newcomer to. Only a plain page name is accepted.
 */
@WebServlet(urlPatterns = "/docs/*")
public class DocsServlet extends HttpServlet {

  private static final Pattern PAGE = Pattern.compile("/[a-z0-9-]+\\.md");

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String page = request.getPathInfo();
    if (page == null || !PAGE.matcher(page).matches()) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    try (InputStream in = getServletContext().getResourceAsStream("/WEB-INF/docs" + page)) {
      if (in == null) {
        response.sendError(HttpServletResponse.SC_NOT_FOUND);
        return;
      }
      response.setContentType("text/plain; charset=UTF-8");
      in.transferTo(response.getOutputStream());
    }
  }
}
