package dev.strata.support.ontology;

import dev.strata.model.ontology.Ontology;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The ontology in force: the registry file at {@code strata.ontology.location} when a deployment gives one,
 * otherwise the default vocabulary shipped in common-model.
 */
public class OntologyProducer {

    private static final Logger LOG = Logger.getLogger(OntologyProducer.class);

    @Produces
    @Singleton
    Ontology ontology(@ConfigProperty(name = "strata.ontology.location") Optional<Path> location) {
        if (location.isPresent()) {
            LOG.infof("Loading the ontology from %s", location.get());
            return Ontology.load(location.get());
        }
        return Ontology.loadDefault();
    }
}
