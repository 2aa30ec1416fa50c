package dev.strata.support.problem;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP methods the service's resources take, by path template, so that a request no resource method matches
 * is answered 405 (with {@code Allow}) where its path is served under other methods, and 404 only where it is not.
 * RESTEasy Reactive answers 404 for both when a broader resource class ({@code @Path("/groups")}) is the last it
 * tries. Built once, from the resource classes among the CDI beans (REST client interfaces are left out: their
 * paths are another service's).
 */
final class ResourceMethods {

    private static final Pattern PARAMETER = Pattern.compile("\\{[^}]*}");

    private record Template(Pattern path, String method) {}

    private static volatile List<Template> templates;

    private ResourceMethods() {}

    /** The methods some resource takes at {@code path}; empty where no resource serves it. */
    static Set<String> allowed(String path) {
        Set<String> methods = new TreeSet<>();
        if (path == null) {
            return methods;
        }
        for (Template template : templates()) {
            if (template.path().matcher(path).matches()) {
                methods.add(template.method());
            }
        }
        return methods;
    }

    private static List<Template> templates() {
        List<Template> known = templates;
        if (known == null) {
            known = scan();
            templates = known;
        }
        return known;
    }

    private static List<Template> scan() {
        List<Template> found = new ArrayList<>();
        ArcContainer container = Arc.container();
        if (container == null) {
            return found;
        }
        for (Bean<?> bean : container.beanManager().getBeans(Object.class, Any.Literal.INSTANCE)) {
            Class<?> type = bean.getBeanClass();
            Path root = type.getAnnotation(Path.class);
            if (root == null || type.isInterface()) {
                continue;
            }
            for (Method method : type.getMethods()) {
                String verb = verb(method);
                if (verb != null) {
                    Path sub = method.getAnnotation(Path.class);
                    found.add(new Template(pattern(root.value() + (sub == null ? "" : "/" + sub.value())), verb));
                }
            }
        }
        return List.copyOf(found);
    }

    private static String verb(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod verb = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }

    /** A path template ({@code /groups/{groupId}/things:batch}) as a pattern of the request paths it serves. */
    static Pattern pattern(String template) {
        String path = ("/" + template).replaceAll("/+", "/");
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        StringBuilder regex = new StringBuilder();
        Matcher parameter = PARAMETER.matcher(path);
        int at = 0;
        while (parameter.find()) {
            regex.append(Pattern.quote(path.substring(at, parameter.start()))).append("[^/]+");
            at = parameter.end();
        }
        regex.append(Pattern.quote(path.substring(at)));
        return Pattern.compile(regex + "/?");
    }
}
